package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Always empty: everything a ServiceL2Status says is in its status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("ServiceL2StatusSpec is empty.")
public record ServiceL2StatusSpec() {
}
