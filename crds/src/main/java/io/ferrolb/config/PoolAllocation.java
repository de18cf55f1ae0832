package io.ferrolb.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pool's {@code spec.serviceAllocation}, compiled. As in MetalLB, an allocation with neither
 * namespaces nor selectors selects every Service: its service selectors are
 * {@code [everything]}.
 *
 * @param priority           0 when unset; lower positive values are tried first
 * @param namespaces         the namespaces named explicitly
 * @param namespaceSelectors selectors of further namespaces, resolved against current labels
 * @param serviceSelectors   selectors of Services (OR)
 */
public record PoolAllocation(int priority, Set<String> namespaces, List<Selector> namespaceSelectors,
                             List<Selector> serviceSelectors) {

    public PoolAllocation {
        namespaces = Set.copyOf(namespaces);
        namespaceSelectors = List.copyOf(namespaceSelectors);
        serviceSelectors = List.copyOf(serviceSelectors);
    }

    /**
     * The namespaces the pool is pinned to: the named ones plus every namespace whose labels one
     * of the selectors matches.
     *
     * @param namespaceLabels every namespace's labels, by namespace name
     */
    public Set<String> resolveNamespaces(Map<String, Map<String, String>> namespaceLabels) {
        Set<String> out = new TreeSet<>(namespaces);
        namespaceLabels.forEach((name, labels) -> {
            if (namespaceSelectors.stream().anyMatch(s -> s.matches(labels))) {
                out.add(name);
            }
        });
        return out;
    }

    /** True if a Service with these labels matches one of the service selectors. */
    public boolean selectsService(Map<String, String> serviceLabels) {
        return serviceSelectors.stream().anyMatch(s -> s.matches(serviceLabels));
    }
}
