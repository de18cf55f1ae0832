package io.ferrolb.controller.convergence;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.ferrolb.api.v1beta1.ServiceAnnotations;
import io.ferrolb.controller.allocator.Allocator;
import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Handles one Service event against the allocator: converges it and decides what to write
 * (status and pool annotation in one status-subresource update, only when they change), which
 * events to record, and whether every other Service must be handled again.
 */
public final class ServiceHandler {

    private static final String DEPRECATED_DOMAIN = "metallb.universe.tf";

    private final Allocator allocator;

    public ServiceHandler(Allocator allocator) {
        this.allocator = allocator;
    }

    /** A deleted Service: frees its addresses; others may fit now. */
    public Outcome deleted(String key) {
        if (allocator.pool(key) == null) {
            return new Outcome(null, List.of(), SyncState.SUCCESS);
        }
        allocator.unassign(key);
        return new Outcome(null, List.of(), SyncState.REPROCESS_ALL);
    }

    /** An existing Service of our load-balancer class. */
    public Outcome handle(Service current) {
        String key = ServiceFacts.key(current);
        List<IpAddress> previousIps = allocator.ips(key);
        String previousAllocationKey = allocator.allocationKey(key);

        BalancerConvergence.Result result = BalancerConvergence.converge(allocator, key, current);
        SyncState state = result.failed() ? SyncState.ERROR_NO_RETRY : SyncState.SUCCESS;
        if (!previousAllocationKey.equals(allocator.allocationKey(key))) {
            state = SyncState.REPROCESS_ALL;
        }

        Service desired = apply(current, result.target());
        if (desired == null) {
            return new Outcome(null, result.events(), state);
        }
        List<ServiceEvent> events = new ArrayList<>(result.events());
        // Only when something is written, so that a converged Service does not repeat the warning.
        ServiceFacts.annotations(current).keySet().stream()
                .filter(k -> k.startsWith(DEPRECATED_DOMAIN))
                .sorted()
                .forEach(k -> events.add(ServiceEvent.warning("deprecatedAnnotation",
                        "Service uses deprecated annotation " + k)));
        if (!previousIps.isEmpty() && allocator.pool(key) == null && allocator.poolFor(previousIps) != null) {
            state = SyncState.REPROCESS_ALL;
        }
        return new Outcome(desired, events, state);
    }

    /** The Service with the target status and annotation, or null if that is what it has. */
    private static Service apply(Service current, BalancerConvergence.Target target) {
        List<String> currentIps = BalancerConvergence.ingressTexts(current);
        boolean hasOtherIngress = hasNonIpIngress(current);
        String currentPool = ServiceFacts.annotations(current).get(ServiceAnnotations.ALLOCATED_FROM_POOL);
        List<String> wantedIps;
        String wantedPool;
        if (target instanceof BalancerConvergence.Target.Keep) {
            return null;
        } else if (target instanceof BalancerConvergence.Target.Set set) {
            wantedIps = set.ips().stream().map(IpAddress::toString).toList();
            wantedPool = set.pool();
        } else {
            wantedIps = List.of();
            wantedPool = null;
        }
        boolean clearedAlready = wantedIps.isEmpty() && currentIps.isEmpty() && !hasOtherIngress;
        if ((clearedAlready || (wantedIps.equals(currentIps) && !hasOtherIngress))
                && Objects.equals(wantedPool, currentPool)) {
            return null;
        }
        Map<String, String> annotations = new LinkedHashMap<>(ServiceFacts.annotations(current));
        if (wantedPool == null) {
            annotations.remove(ServiceAnnotations.ALLOCATED_FROM_POOL);
        } else {
            annotations.put(ServiceAnnotations.ALLOCATED_FROM_POOL, wantedPool);
        }
        List<LoadBalancerIngress> ingress = wantedIps.stream()
                .map(ip -> new LoadBalancerIngressBuilder().withIp(ip).build())
                .toList();
        ServiceStatus status = current.getStatus() == null ? new ServiceStatus() : current.getStatus();
        return new ServiceBuilder(current)
                .editMetadata().withAnnotations(annotations.isEmpty() ? null : annotations).endMetadata()
                .withStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder(status)
                        .withLoadBalancer(new LoadBalancerStatus(ingress.isEmpty() ? null : new ArrayList<>(ingress)))
                        .build())
                .build();
    }

    /** An ingress entry with a hostname or ports, or without an IP: ours never are. */
    private static boolean hasNonIpIngress(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null) {
            return false;
        }
        for (LoadBalancerIngress ingress : ServiceFacts.orEmpty(service.getStatus().getLoadBalancer().getIngress())) {
            boolean noIp = ingress.getIp() == null || ingress.getIp().isEmpty();
            boolean extras = ingress.getHostname() != null || (ingress.getPorts() != null && !ingress.getPorts().isEmpty());
            if (noIp || extras) {
                return true;
            }
        }
        return false;
    }
}
