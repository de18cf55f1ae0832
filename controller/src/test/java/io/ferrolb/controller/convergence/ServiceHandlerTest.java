package io.ferrolb.controller.convergence;

import static io.ferrolb.controller.allocator.Pools.manual;
import static io.ferrolb.controller.allocator.Pools.pool;
import static io.ferrolb.controller.allocator.Pools.set;
import static io.ferrolb.controller.convergence.Services.annotated;
import static io.ferrolb.controller.convergence.Services.dual;
import static io.ferrolb.controller.convergence.Services.ingress;
import static io.ferrolb.controller.convergence.Services.lb;
import static io.ferrolb.controller.convergence.Services.withIngress;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.ferrolb.controller.allocator.Allocator;
import io.ferrolb.controller.allocator.PoolSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One Service against the allocator: status, annotation, events (docs/compatibility.md §2.2, §2.7, §7
 * items 6, 10–12, 15).
 */
class ServiceHandlerTest {

    private Allocator allocator;
    private ServiceHandler handler;

    @BeforeEach
    void pools() {
        allocator = new Allocator();
        allocator.setPools(set(pool("lab", "198.18.0.200-198.18.0.250"), manual("spare", "198.18.1.0/24"),
                pool("x-dual", "198.18.2.0/24", "fc00::/120")));
        handler = new ServiceHandler(allocator);
    }

    private static String events(Outcome o) {
        return String.join("\n", o.events().stream().map(e -> e.type() + " " + e.reason() + ": " + e.message())
                .toList());
    }

    @Test
    void allocatesWritesIpOnlyIngressAndThePoolAnnotationAndRecordsIpAllocated() {
        Outcome o = handler.handle(lb("demo", "svc1").build());
        assertThat(ingress(o.toWrite())).containsExactly("198.18.0.200");
        assertThat(o.toWrite().getStatus().getLoadBalancer().getIngress().get(0).getHostname()).isNull();
        assertThat(o.toWrite().getStatus().getLoadBalancer().getIngress().get(0).getPorts()).isNullOrEmpty();
        assertThat(o.toWrite().getMetadata().getAnnotations()).containsEntry("metallb.io/ip-allocated-from-pool", "lab");
        assertThat(events(o)).isEqualTo("Normal IPAllocated: Assigned IP [\"198.18.0.200\"]");
        assertThat(o.state()).isEqualTo(SyncState.SUCCESS);
    }

    @Test
    void aConvergedServiceNeedsNoWriteAndNoEvent() {
        Service written = handler.handle(lb("demo", "svc1").build()).toWrite();
        Outcome again = handler.handle(written);
        assertThat(again.toWrite()).isNull();
        assertThat(again.events()).isEmpty();
        // The API server adds ipMode: VIP to every ingress entry; that is not a difference.
        written.getStatus().getLoadBalancer().getIngress().get(0).setIpMode("VIP");
        assertThat(handler.handle(written).toWrite()).isNull();
    }

    @Test
    void aRestartRebuildsStateFromStatusesWithoutMovingAddresses() {
        Service a = handler.handle(lb("demo", "a").build()).toWrite();
        Service b = handler.handle(lb("demo", "b").build()).toWrite();
        Allocator fresh = new Allocator();
        fresh.setPools(allocator.pools());
        ServiceHandler restarted = new ServiceHandler(fresh);
        assertThat(restarted.handle(b).toWrite()).isNull();
        assertThat(restarted.handle(a).toWrite()).isNull();
        assertThat(fresh.ips("demo/b")).extracting(Object::toString).containsExactly("198.18.0.201");
        assertThat(ingress(restarted.handle(lb("demo", "c").build()).toWrite())).containsExactly("198.18.0.202");
    }

    @Test
    void changingTheTypeAwayFromLoadBalancerClearsStatusAndAnnotation() {
        Service written = handler.handle(lb("demo", "svc1").build()).toWrite();
        Service nodePort = new ServiceBuilder(written).editSpec().withType("NodePort").endSpec().build();
        Outcome o = handler.handle(nodePort);
        assertThat(ingress(o.toWrite())).isEmpty();
        assertThat(o.toWrite().getStatus().getLoadBalancer().getIngress()).isNull();
        assertThat(ServiceFacts.annotations(o.toWrite())).doesNotContainKey("metallb.io/ip-allocated-from-pool");
        assertThat(allocator.pool("demo/svc1")).isNull();
        assertThat(o.state()).isEqualTo(SyncState.REPROCESS_ALL);
    }

    @Test
    void deletingAServiceFreesItsAddressForAPendingOne() {
        allocator.setPools(set(pool("tiny", "198.18.3.1/32")));
        handler.handle(lb("demo", "first").build());
        Outcome pending = handler.handle(lb("demo", "second").build());
        assertThat(pending.toWrite()).isNull();
        assertThat(events(pending)).isEqualTo(
                "Warning AllocationFailed: Failed to allocate IP for \"demo/second\": no available IPs");
        assertThat(pending.state()).isEqualTo(SyncState.ERROR_NO_RETRY);
        assertThat(handler.deleted("demo/first").state()).isEqualTo(SyncState.REPROCESS_ALL);
        assertThat(handler.deleted("demo/never-allocated").state()).isEqualTo(SyncState.SUCCESS);
        assertThat(ingress(handler.handle(lb("demo", "second").build()).toWrite())).containsExactly("198.18.3.1");
    }

    @Test
    void anAddressOutsideEveryPoolIsClearedWithAnEventAndReplaced() {
        Service stale = withIngress(lb("demo", "svc1").build(), "192.0.2.7");
        Outcome o = handler.handle(stale);
        assertThat(events(o)).isEqualTo("""
                Normal ClearAssignment: current IP for "demo/svc1" not allowed by config, will attempt for new IP \
                assignment: ["192.0.2.7"] is not allowed in config
                Normal IPAllocated: Assigned IP ["198.18.0.200"]""");
        assertThat(ingress(o.toWrite())).containsExactly("198.18.0.200");
    }

    /** The controller hands the handler JOSDK's cached object itself, not a copy (Controller#unchanged). */
    @Test
    void theServiceHandedInIsLeftAsItWas() {
        Service cached = annotated(withIngress(lb("demo", "svc1").build(), "192.0.2.7"),
                Map.of("metallb.io/ip-allocated-from-pool", "gone", "team", "a"));
        Service before = new ServiceBuilder(cached).build();
        Outcome o = handler.handle(cached);
        assertThat(o.toWrite()).isNotNull().isNotSameAs(cached);
        assertThat(o.toWrite().getMetadata().getAnnotations()).containsEntry("metallb.io/ip-allocated-from-pool", "lab");
        assertThat(cached).isEqualTo(before);
        assertThat(cached.getMetadata().getAnnotations()).containsEntry("metallb.io/ip-allocated-from-pool", "gone");
        assertThat(ingress(cached)).containsExactly("192.0.2.7");
    }

    @Test
    void withoutAnyPoolEveryServiceLosesItsIngress() {
        Service written = handler.handle(lb("demo", "svc1").build()).toWrite();
        allocator.setPools(PoolSet.empty());
        Outcome o = handler.handle(written);
        assertThat(ingress(o.toWrite())).isEmpty();
        assertThat(o.state()).isEqualTo(SyncState.ERROR_NO_RETRY);
    }

    @Test
    void requestedAddressesAreHonouredByAnnotationOrSpec() {
        Service byAnnotation = annotated(lb("demo", "a").build(), Map.of("metallb.io/loadBalancerIPs", "198.18.1.9"));
        assertThat(ingress(handler.handle(byAnnotation).toWrite())).containsExactly("198.18.1.9");
        Service bySpec = new ServiceBuilder(lb("demo", "b").build()).editSpec().withLoadBalancerIP("198.18.1.10")
                .endSpec().build();
        assertThat(ingress(handler.handle(bySpec).toWrite())).containsExactly("198.18.1.10");
        Service byPool = annotated(lb("demo", "c").build(), Map.of("metallb.io/address-pool", "spare"));
        Outcome o = handler.handle(byPool);
        assertThat(ingress(o.toWrite())).containsExactly("198.18.1.0");
        assertThat(o.toWrite().getMetadata().getAnnotations()).containsEntry("metallb.io/ip-allocated-from-pool", "spare");
    }

    @Test
    void aChangedRequestMovesTheService() {
        Service written = handler.handle(lb("demo", "a").build()).toWrite();
        Outcome moved = handler.handle(annotated(written, Map.of("metallb.io/loadBalancerIPs", "198.18.0.220")));
        assertThat(ingress(moved.toWrite())).containsExactly("198.18.0.220");
        Outcome repooled = handler.handle(annotated(moved.toWrite(), Map.of("metallb.io/address-pool", "x-dual",
                "metallb.io/loadBalancerIPs", "198.18.2.3")));
        assertThat(ingress(repooled.toWrite())).containsExactly("198.18.2.3");
    }

    @Test
    void annotationAndSpecTogetherAreRefused() {
        Service both = new ServiceBuilder(annotated(lb("demo", "a").build(),
                Map.of("metallb.io/loadBalancerIPs", "198.18.1.9"))).editSpec().withLoadBalancerIP("198.18.1.9")
                .endSpec().build();
        assertThat(events(handler.handle(both))).isEqualTo("Warning AllocationFailed: Failed to allocate IP for "
                + "\"demo/a\": service can not have both metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP");
        Service holding = withIngress(both, "198.18.1.9");
        assertThat(events(handler.handle(holding))).isEqualTo("Warning LoadBalancerFailed: invalid requested "
                + "loadbalancer IPs: service can not have both metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP");
    }

    @Test
    void aRequestOfTheWrongFamilyFails() {
        Service v6 = annotated(lb("demo", "a").build(), Map.of("metallb.io/loadBalancerIPs", "fc00::5"));
        assertThat(events(handler.handle(v6))).isEqualTo("Warning AllocationFailed: Failed to allocate IP for "
                + "\"demo/a\": requested loadBalancer IP(s) [\"fc00::5\"] does not match the ipFamily of the service");
    }

    @Test
    void deprecatedAnnotationsWorkAndAreReportedWhenSomethingIsWritten() {
        Service old = annotated(lb("demo", "a").build(), Map.of("metallb.universe.tf/address-pool", "spare"));
        Outcome o = handler.handle(old);
        assertThat(ingress(o.toWrite())).containsExactly("198.18.1.0");
        assertThat(events(o)).isEqualTo("""
                Normal IPAllocated: Assigned IP ["198.18.1.0"]
                Warning deprecatedAnnotation: Service uses deprecated annotation metallb.universe.tf/address-pool""");
        assertThat(handler.handle(o.toWrite()).events()).isEmpty();
        Service both = annotated(lb("demo", "b").build(), Map.of("metallb.universe.tf/address-pool", "spare",
                "metallb.io/address-pool", "x-dual"));
        assertThat(ingress(handler.handle(both).toWrite())).containsExactly("198.18.2.0");
    }

    @Test
    void requireDualStackGetsBothFamiliesV4First() {
        Outcome o = handler.handle(dual("demo", "a", "RequireDualStack", "IPv6", "IPv4").build());
        assertThat(ingress(o.toWrite())).containsExactly("198.18.2.0", "fc00::");
        assertThat(events(o)).isEqualTo("Normal IPAllocated: Assigned IP [\"198.18.2.0\" \"fc00::\"]");
    }

    @Test
    void requireDualStackWithOneClusterIpIsReported() {
        Service single = new ServiceBuilder(lb("demo", "a").build()).editSpec().withIpFamilyPolicy("RequireDualStack")
                .endSpec().build();
        assertThat(events(handler.handle(single))).isEqualTo(
                "Warning not enough clusterips: Service requires dual stack but not enough clusterips [198.19.0.10]");
    }

    @Test
    void preferDualStackWithSingleFamilyPoolsTakesTheV6AndReportsTheMissingV4() {
        allocator.setPools(set(pool("v4", "198.18.4.0/24"), pool("v6", "fc01::/120")));
        Outcome first = handler.handle(dual("demo", "a", "PreferDualStack", "IPv6", "IPv4").build());
        assertThat(ingress(first.toWrite())).containsExactly("fc01::");
        Outcome later = handler.handle(first.toWrite());
        assertThat(later.toWrite()).isNull();
        assertThat(events(later)).isEqualTo("Normal AdditionalAssignFailed: cannot assign additional IP in "
                + "PreferDualStack: no available IPs in pool v6 for ipv4 IPFamily");
    }

    @Test
    void preferDualStackIsToppedUpWhenItsPoolGainsTheOtherFamily() {
        allocator.setPools(set(pool("grow", "198.18.4.0/24")));
        Service v4only = handler.handle(dual("demo", "a", "PreferDualStack", "IPv4", "IPv6").build()).toWrite();
        assertThat(ingress(v4only)).containsExactly("198.18.4.0");
        allocator.setPools(set(pool("grow", "198.18.4.0/24", "fc02::/120")));
        Outcome o = handler.handle(v4only);
        assertThat(ingress(o.toWrite())).containsExactly("198.18.4.0", "fc02::");
        assertThat(events(o)).isEqualTo("Normal IPAllocated: Assigned additional IP \"fc02::\"");
    }

    @Test
    void aDualPoolBecomingSingleClearsBothAndReassigns() {
        allocator.setPools(set(pool("p", "198.18.4.0/24", "fc02::/120")));
        Service both = handler.handle(dual("demo", "a", "PreferDualStack", "IPv4", "IPv6").build()).toWrite();
        allocator.setPools(set(pool("p", "198.18.4.0/24")));
        Outcome o = handler.handle(both);
        assertThat(ingress(o.toWrite())).containsExactly("198.18.4.0");
        assertThat(o.events().get(0).reason()).isEqualTo("ClearAssignment");
    }

    @Test
    void aServiceWithoutClusterIpIsCleared() {
        Service none = new ServiceBuilder(withIngress(lb("demo", "a").build(), "198.18.0.200")).editSpec()
                .withClusterIP(null).withClusterIPs(List.of()).endSpec().build();
        Outcome o = handler.handle(none);
        assertThat(ingress(o.toWrite())).isEmpty();
        assertThat(o.state()).isEqualTo(SyncState.ERROR_NO_RETRY);
    }

    @Test
    void aChangedSharingKeyAsksToReprocessEveryService() {
        Service written = handler.handle(lb("demo", "a").build()).toWrite();
        Outcome o = handler.handle(annotated(written, Map.of("metallb.io/allow-shared-ip", "k")));
        assertThat(o.state()).isEqualTo(SyncState.REPROCESS_ALL);
        assertThat(o.toWrite()).isNull();
    }
}
