package io.ferrolb.controller.convergence;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.api.v1beta1.ServiceAnnotations;
import io.ferrolb.controller.allocator.AllocationResult;
import io.ferrolb.controller.allocator.Allocator;
import io.ferrolb.controller.allocator.Family;
import io.ferrolb.controller.allocator.FamilyPolicy;
import io.ferrolb.controller.allocator.ServiceInfo;
import io.ferrolb.net.GoQuote;
import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Converges one LoadBalancer Service, in the order of MetalLB's {@code convergeBalancer} in
 * {@code controller/service.go} (docs/compatibility.md §2.2): drop addresses of the
 * wrong family, re-validate the current ones against the configuration, honour a changed pool
 * annotation or requested address, top up PreferDualStack, else allocate.
 */
final class BalancerConvergence {

    /** What to do with the Service's status and pool annotation. */
    sealed interface Target {
        /** Leave them as they are. */
        record Keep() implements Target {
        }

        /** Empty the status, remove the annotation. */
        record Clear() implements Target {
        }

        /** Ingress = these addresses, annotation = this pool. */
        record Set(List<IpAddress> ips, String pool) implements Target {
        }
    }

    /** The target, the events, and whether converging failed. */
    record Result(Target target, List<ServiceEvent> events, boolean failed) {
    }

    private final Allocator allocator;
    private final String key;
    private final Service service;
    private final ServiceInfo info;
    private final List<ServiceEvent> events = new ArrayList<>();
    private Target target = new Target.Keep();

    private BalancerConvergence(Allocator allocator, String key, Service service) {
        this.allocator = allocator;
        this.key = key;
        this.service = service;
        this.info = ServiceFacts.info(key, service);
    }

    static Result converge(Allocator allocator, String key, Service service) {
        BalancerConvergence c = new BalancerConvergence(allocator, key, service);
        boolean ok = c.run();
        return new Result(c.target, c.events, !ok);
    }

    private boolean run() {
        if (!ServiceFacts.LOAD_BALANCER.equals(service.getSpec().getType())) {
            clear();
            return true;
        }
        if (allocator.pools().isEmpty()) {
            clear();
            return false;
        }
        if (ServiceFacts.clusterIps(service).isEmpty()) {
            clear();
            return false;
        }
        FamilyPolicy policy = ServiceFacts.policy(service);
        if (policy == FamilyPolicy.REQUIRE_DUAL_STACK && ServiceFacts.orEmpty(service.getSpec().getClusterIPs()).size() < 2) {
            events.add(ServiceEvent.warning("not enough clusterips",
                    "Service requires dual stack but not enough clusterips " + goList(service.getSpec().getClusterIPs())));
            clear();
            return false;
        }
        List<String> ingressTexts = ingressTexts(service);
        List<IpAddress> lbIps = new ArrayList<>();
        if (ingressTexts.isEmpty()) {
            clear();
        } else {
            Family lbFamily;
            try {
                lbFamily = Family.ofAddresses(ingressTexts);
                ingressTexts.forEach(t -> lbIps.add(IpAddress.parse(t)));
            } catch (IllegalArgumentException e) {
                events.add(ServiceEvent.warning("nolbIPsIPFamily", "Failed to retrieve LBIPs IPFamily for "
                        + GoQuote.quoteAll(ingressTexts) + ": " + e.getMessage()));
                lbFamily = Family.UNKNOWN;
            }
            Family clusterFamily;
            try {
                clusterFamily = ServiceFacts.family(service);
            } catch (IllegalArgumentException e) {
                events.add(ServiceEvent.warning("noclusterIPsIPFamily", "Failed to retrieve ClusterIPs IPFamily for "
                        + GoQuote.quoteAll(ServiceFacts.orEmpty(service.getSpec().getClusterIPs())) + " "
                        + nullToEmpty(service.getSpec().getClusterIP()) + ": " + e.getMessage()));
                return false;
            }
            if (familyChanged(lbFamily, clusterFamily, policy)) {
                clear();
                lbIps.clear();
            }
        }
        if (!lbIps.isEmpty() && !revalidate(lbIps)) {
            return false;
        }
        if (lbIps.size() == 1 && policy == FamilyPolicy.PREFER_DUAL_STACK) {
            AllocationResult added = allocator.allocateAdditionalFamily(info, lbIps.get(0), allocator.pool(key));
            if (added instanceof AllocationResult.Assigned a) {
                lbIps.add(a.ips().get(0));
                events.add(ServiceEvent.normal("IPAllocated", "Assigned additional IP "
                        + GoQuote.quote(a.ips().get(0).toString())));
            } else {
                events.add(ServiceEvent.normal("AdditionalAssignFailed", "cannot assign additional IP in "
                        + "PreferDualStack: " + ((AllocationResult.Failed) added).reason()));
            }
        }
        if (lbIps.isEmpty()) {
            AllocationResult allocated = allocateIps();
            if (allocated instanceof AllocationResult.Failed f) {
                events.add(ServiceEvent.warning("AllocationFailed", "Failed to allocate IP for " + GoQuote.quote(key)
                        + ": " + f.reason()));
                return false;
            }
            lbIps.addAll(((AllocationResult.Assigned) allocated).ips());
            events.add(ServiceEvent.normal("IPAllocated", "Assigned IP " + quoteIps(lbIps)));
        }
        String pool = allocator.pool(key);
        if (pool == null || allocator.pools().pool(pool) == null) {
            events.add(ServiceEvent.warning("InternalError", "allocated an IP that has no pool"));
            clear();
            return false;
        }
        target = new Target.Set(List.copyOf(lbIps), pool);
        return true;
    }

    /**
     * Keeps the current addresses only if the configuration still allows them, the pool
     * annotation still names their pool and the requested addresses (if any) are them.
     *
     * @return false when the requested addresses are malformed (converging fails, nothing cleared)
     */
    private boolean revalidate(List<IpAddress> lbIps) {
        AllocationResult kept = allocator.assign(info, lbIps);
        if (kept instanceof AllocationResult.Failed f) {
            events.add(ServiceEvent.normal("ClearAssignment", "current IP for " + GoQuote.quote(key)
                    + " not allowed by config, will attempt for new IP assignment: " + f.reason()));
            clear();
            lbIps.clear();
        }
        String desiredPool = ServiceAnnotations.value(ServiceFacts.annotations(service), ServiceAnnotations.ADDRESS_POOL);
        if (!lbIps.isEmpty() && !desiredPool.isEmpty() && !desiredPool.equals(allocator.pool(key))) {
            clear();
            lbIps.clear();
        }
        ServiceFacts.Requested requested;
        try {
            requested = ServiceFacts.requested(service);
        } catch (IllegalArgumentException e) {
            events.add(ServiceEvent.warning("LoadBalancerFailed", "invalid requested loadbalancer IPs: "
                    + e.getMessage()));
            return false;
        }
        if (!requested.ips().isEmpty() && !sameAddresses(lbIps, requested.ips())) {
            clear();
            lbIps.clear();
        }
        return true;
    }

    private AllocationResult allocateIps() {
        Family family;
        ServiceFacts.Requested requested;
        try {
            family = ServiceFacts.family(service);
            requested = ServiceFacts.requested(service);
        } catch (IllegalArgumentException e) {
            return new AllocationResult.Failed(e.getMessage());
        }
        String desiredPool = ServiceAnnotations.value(ServiceFacts.annotations(service), ServiceAnnotations.ADDRESS_POOL);
        if (!requested.ips().isEmpty()) {
            if (family != requested.family()) {
                return new AllocationResult.Failed("requested loadBalancer IP(s) " + quoteIps(requested.ips())
                        + " does not match the ipFamily of the service");
            }
            AllocationResult assigned = allocator.assign(info, requested.ips());
            if (assigned instanceof AllocationResult.Failed) {
                return assigned;
            }
            if (!desiredPool.isEmpty() && !desiredPool.equals(allocator.pool(key))) {
                allocator.unassign(key);
                return new AllocationResult.Failed("requested loadBalancer IP(s) " + quoteIps(requested.ips())
                        + " is not compatible with requested address pool " + desiredPool);
            }
            return assigned;
        }
        if (!desiredPool.isEmpty()) {
            return allocator.allocateFromPool(info, family, desiredPool);
        }
        return allocator.allocate(info, family);
    }

    private void clear() {
        allocator.unassign(key);
        target = new Target.Clear();
    }

    /** Addresses of the wrong family are dropped, except the one-family PreferDualStack case. */
    private static boolean familyChanged(Family lbFamily, Family clusterFamily, FamilyPolicy policy) {
        if (lbFamily == Family.UNKNOWN) {
            return true;
        }
        if (lbFamily == clusterFamily) {
            return false;
        }
        return !(clusterFamily == Family.DUAL && policy == FamilyPolicy.PREFER_DUAL_STACK);
    }

    static List<String> ingressTexts(Service service) {
        List<String> texts = new ArrayList<>();
        if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null) {
            for (LoadBalancerIngress ingress : ServiceFacts.orEmpty(service.getStatus().getLoadBalancer().getIngress())) {
                if (ingress.getIp() != null && !ingress.getIp().isEmpty()) {
                    texts.add(ingress.getIp());
                }
            }
        }
        return texts;
    }

    private static boolean sameAddresses(List<IpAddress> a, List<IpAddress> b) {
        Comparator<IpAddress> byText = Comparator.comparing(IpAddress::toString);
        return a.stream().sorted(byText).toList().equals(b.stream().sorted(byText).toList());
    }

    static String quoteIps(List<IpAddress> ips) {
        return GoQuote.quoteAll(ips.stream().map(IpAddress::toString).toList());
    }

    /** Go's {@code %v} of a string slice: {@code [a b]}. */
    private static String goList(List<String> items) {
        return "[" + String.join(" ", ServiceFacts.orEmpty(items)) + "]";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
