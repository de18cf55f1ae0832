package io.ferrolb.controller.differential;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One change a user makes, applied in the same order to both clusters. Names are logical: a
 * Service's namespace is {@code a} or {@code b}, made concrete per run so that every run (and
 * every candidate while shrinking) starts with fresh namespaces and no event history.
 */
sealed interface Step {

    /** Creates the pool or replaces its spec. */
    record ApplyPool(String name, PoolSpec spec) implements Step {
        @Override
        public String toString() {
            return "apply pool " + name + " " + spec;
        }
    }

    record DeletePool(String name) implements Step {
        @Override
        public String toString() {
            return "delete pool " + name;
        }
    }

    /**
     * Creates the Service or edits it in place; a change of IP families (which the API server
     * does not allow in place) deletes and recreates it.
     */
    record ApplyService(String name, ServiceSpec spec) implements Step {
        @Override
        public String toString() {
            return "apply service " + ServiceSpec.namespaceOf(name) + "/" + name + " " + spec;
        }
    }

    record DeleteService(String name) implements Step {
        @Override
        public String toString() {
            return "delete service " + ServiceSpec.namespaceOf(name) + "/" + name;
        }
    }

    /** Replaces the labels of a logical namespace ({@code a} or {@code b}). */
    record LabelNamespace(String namespace, Map<String, String> labels) implements Step {
        @Override
        public String toString() {
            return "label namespace " + namespace + " " + labels;
        }
    }

    /** An IPAddressPool's spec, as written. */
    record PoolSpec(List<String> addresses, Optional<Boolean> autoAssign, Optional<Boolean> avoidBuggyIPs,
            Optional<Allocation> allocation) {

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(addresses.toString());
            autoAssign.ifPresent(v -> s.append(" autoAssign=").append(v));
            avoidBuggyIPs.ifPresent(v -> s.append(" avoidBuggyIPs=").append(v));
            allocation.ifPresent(a -> s.append(" ").append(a));
            return s.toString();
        }
    }

    /** spec.serviceAllocation; namespaces are logical names. */
    record Allocation(Optional<Integer> priority, List<String> namespaces, Map<String, String> namespaceLabels,
            Map<String, String> serviceLabels) {

        @Override
        public String toString() {
            return "serviceAllocation{priority=" + priority.map(String::valueOf).orElse("-") + " namespaces="
                    + namespaces + " namespaceSelector=" + namespaceLabels + " serviceSelector=" + serviceLabels + "}";
        }
    }
}
