package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * A soft preference for announcing nodes ({@code spec.preferredNodeSelectors} of an
 * L2Advertisement, MetalLB v0.16.2): nodes matching {@code preference} score
 * {@code weight} more in the Layer-2 election.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("A weighted node preference for the Layer-2 election.")
public record PreferredNodeSelector(
        @Required
        @Min(1)
        @Max(100)
        @JsonPropertyDescription("The score, 1 to 100, a node matching the preference gains; scores of several "
                + "matching preferences add up.")
        Integer weight,

        @Required
        @JsonPropertyDescription("The nodes that gain the weight; only nodes the advertisement's nodeSelectors "
                + "allow are considered.")
        LabelSelector preference) {
}
