package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector ({@code metav1.LabelSelector}). Our own type rather than the
 * fabric8 model's, so that the pure configuration code needs no client model and the schema
 * marks {@code key} and {@code operator} required as Kubernetes does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("A label query over a set of objects: matchLabels and matchExpressions are ANDed. "
        + "An empty selector matches every object.")
public record LabelSelector(
        @JsonPropertyDescription("Exact label values: each {key: value} equals a matchExpressions entry "
                + "with operator In and that single value.")
        Map<String, String> matchLabels,

        @JsonPropertyDescription("Label requirements, all of which must hold.")
        List<LabelSelectorRequirement> matchExpressions) {

    public static LabelSelector matchLabels(Map<String, String> labels) {
        return new LabelSelector(labels, null);
    }
}
