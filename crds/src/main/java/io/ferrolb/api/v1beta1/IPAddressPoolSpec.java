package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * The desired state of an IPAddressPool. {@code autoAssign} and {@code avoidBuggyIPs} are
 * nullable so that an object read from the API keeps the difference between "unset" (the CRD
 * defaults fill it in on the server) and an explicit value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("IPAddressPoolSpec is the desired state of an IPAddressPool.")
public record IPAddressPoolSpec(
        @Required
        @JsonPropertyDescription("The address ranges of the pool: CIDR prefixes (192.168.10.0/24, fc00::/120) or "
                + "start-end ranges (192.168.9.1-192.168.9.5). All entries share the pool's settings.")
        List<String> addresses,

        @Default("true")
        @JsonPropertyDescription("When false, addresses are handed out only to Services that ask for this pool "
                + "or for one of its addresses explicitly.")
        Boolean autoAssign,

        @Default("false")
        @JsonPropertyDescription("When true, IPv4 addresses ending in .0 or .255 are never handed out.")
        Boolean avoidBuggyIPs,

        @JsonPropertyDescription("Restricts the pool to some namespaces or Services and orders it among the pools "
                + "that match a Service: the lowest positive priority is tried first, pools without a priority "
                + "after those, equal priorities in no particular order.")
        ServiceAllocation serviceAllocation) {

    /** A spec with only addresses; both flags left to the CRD defaults. */
    public static IPAddressPoolSpec of(String... addresses) {
        return new IPAddressPoolSpec(List.of(addresses), null, null, null);
    }

    /** The effective autoAssign: the CRD default {@code true} when unset. */
    public boolean autoAssignOrDefault() {
        return autoAssign == null || autoAssign;
    }

    /** The effective avoidBuggyIPs: the CRD default {@code false} when unset. */
    public boolean avoidBuggyIPsOrDefault() {
        return avoidBuggyIPs != null && avoidBuggyIPs;
    }
}
