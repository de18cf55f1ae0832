package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** One requirement of a {@link LabelSelector}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("A requirement on one label key.")
public record LabelSelectorRequirement(
        @Required
        @JsonPropertyDescription("The label key the requirement applies to.")
        String key,

        @Required
        @JsonPropertyDescription("One of In, NotIn, Exists and DoesNotExist.")
        String operator,

        @JsonPropertyDescription("The values for In and NotIn (at least one); empty for Exists and DoesNotExist.")
        List<String> values) {
}
