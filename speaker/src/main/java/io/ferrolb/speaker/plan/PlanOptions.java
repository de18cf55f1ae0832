package io.ferrolb.speaker.plan;

import io.fabric8.kubernetes.api.model.Service;
import java.util.Objects;
import java.util.Optional;

/**
 * The speaker's flags that shape the plan.
 *
 * @param loadBalancerClass the class this speaker serves ({@code --lb-class}); empty: only Services
 *                          without {@code spec.loadBalancerClass}. An empty string means none.
 * @param ignoreExcludeLb   {@code --ignore-exclude-lb}: nodes labelled
 *                          {@code node.kubernetes.io/exclude-from-external-load-balancers} stay candidates
 */
public record PlanOptions(Optional<String> loadBalancerClass, boolean ignoreExcludeLb) {

    public PlanOptions {
        loadBalancerClass = Objects.requireNonNull(loadBalancerClass, "loadBalancerClass").filter(c -> !c.isEmpty());
    }

    /** No class, exclusion label honoured: the chart's defaults. */
    public static PlanOptions defaults() {
        return new PlanOptions(Optional.empty(), false);
    }

    /** True if the class filter lets this speaker handle the Service (docs/compatibility.md §2.1, as the controller). */
    public boolean handles(Service service) {
        String theirs = service.getSpec() == null ? null : service.getSpec().getLoadBalancerClass();
        return loadBalancerClass.map(ours -> ours.equals(theirs)).orElse(theirs == null);
    }
}
