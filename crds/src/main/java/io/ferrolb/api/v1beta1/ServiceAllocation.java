package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** {@code spec.serviceAllocation} of an IPAddressPool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("ServiceAllocation restricts an IPAddressPool to some namespaces or Services and orders it.")
public record ServiceAllocation(
        @JsonPropertyDescription("The order in which matching pools are tried: lower positive values first, "
                + "unset or 0 after all positive values.")
        Integer priority,

        @JsonPropertyDescription("Namespaces whose Services may get addresses from this pool.")
        List<String> namespaces,

        @JsonPropertyDescription("Label selectors of namespaces whose Services may get addresses from this pool; "
                + "an alternative to the namespaces list.")
        List<LabelSelector> namespaceSelectors,

        @JsonPropertyDescription("Label selectors of Services that may get addresses from this pool.")
        List<LabelSelector> serviceSelectors) {
}
