package io.ferrolb.speaker.plan;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The serving endpoints of every Service, built once per plan from all EndpointSlices, so that a
 * plan costs O(Services + endpoints) rather than O(Services × slices).
 */
final class EndpointIndex {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    /**
     * What the election needs to know about a Service's endpoints.
     *
     * @param any   at least one endpoint can serve
     * @param nodes the nodes hosting an endpoint that can serve (endpoints without a node are counted
     *              in {@code any} only)
     */
    record Serving(boolean any, Set<String> nodes) {
        static final Serving NONE = new Serving(false, Set.of());
    }

    private final Map<ServiceKey, Serving> byService;

    private EndpointIndex(Map<ServiceKey, Serving> byService) {
        this.byService = byService;
    }

    static EndpointIndex of(Collection<EndpointSlice> slices) {
        Map<ServiceKey, Set<String>> nodes = new HashMap<>();
        for (EndpointSlice slice : slices) {
            ServiceKey owner = ownerOf(slice);
            if (owner == null || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (canServe(endpoint.getConditions())) {
                    Set<String> hosts = nodes.computeIfAbsent(owner, k -> new HashSet<>());
                    if (endpoint.getNodeName() != null) {
                        hosts.add(endpoint.getNodeName());
                    }
                }
            }
        }
        Map<ServiceKey, Serving> out = new HashMap<>();
        nodes.forEach((service, hosts) -> out.put(service, new Serving(true, Set.copyOf(hosts))));
        return new EndpointIndex(out);
    }

    Serving of(ServiceKey service) {
        return byService.getOrDefault(service, Serving.NONE);
    }

    /**
     * MetalLB's rule: an endpoint can serve if {@code ready} is unset or true, or if {@code serving}
     * is true (a terminating endpoint that still serves keeps the IP announced). Absent conditions
     * are all unset.
     */
    static boolean canServe(EndpointConditions conditions) {
        if (conditions == null || conditions.getReady() == null || conditions.getReady()) {
            return true;
        }
        return Boolean.TRUE.equals(conditions.getServing());
    }

    private static ServiceKey ownerOf(EndpointSlice slice) {
        if (slice.getMetadata() == null || slice.getMetadata().getLabels() == null) {
            return null;
        }
        String service = slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
        String namespace = slice.getMetadata().getNamespace();
        return service == null || namespace == null ? null : new ServiceKey(namespace, service);
    }
}
