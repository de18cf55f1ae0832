package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Unused, as in MetalLB; present so the status subresource exists. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("L2AdvertisementStatus is the observed state of an L2Advertisement (unused).")
public record L2AdvertisementStatus() {
}
