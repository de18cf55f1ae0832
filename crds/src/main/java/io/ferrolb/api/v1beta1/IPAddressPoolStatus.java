package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Address counters of an IPAddressPool, written by the controller. */
@JsonClassDescription("IPAddressPoolStatus counts the addresses of an IPAddressPool.")
public record IPAddressPoolStatus(
        @Required
        @JsonPropertyDescription("The number of IPv4 addresses of the pool in use by Services.")
        long assignedIPv4,

        @Required
        @JsonPropertyDescription("The number of IPv6 addresses of the pool in use by Services.")
        long assignedIPv6,

        @Required
        @JsonPropertyDescription("The number of IPv4 addresses of the pool still free.")
        long availableIPv4,

        @Required
        @JsonPropertyDescription("The number of IPv6 addresses of the pool still free.")
        long availableIPv6) {
}
