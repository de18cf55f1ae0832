package io.ferrolb.controller.it;

import static io.ferrolb.controller.allocator.Pools.avoidBuggy;
import static io.ferrolb.controller.allocator.Pools.labels;
import static io.ferrolb.controller.allocator.Pools.manual;
import static io.ferrolb.controller.allocator.Pools.pool;
import static io.ferrolb.controller.allocator.Pools.restricted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolStatus;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/compatibility.md §7 items 4–12 and 15 on a real API server: Services created there get ClusterIPs and
 * NodePorts from the API server, the controller runs against it and writes their status.
 */
class AllocationIT {

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();
    static Harness h;
    private final String ns = "alloc-" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void start() {
        h = new Harness(apiServer.controlPlane());
        h.startController();
    }

    @AfterAll
    static void stop() {
        h.stopAll();
    }

    @AfterEach
    void cleanUp() {
        h.deleteServices(ns);
    }

    @Test
    void item5_lowestAddressFirstNextInOrderAndAFreedOneReused() {
        h.pools(pool("p", "192.168.10.0/24"));
        h.create(ns, "a");
        h.awaitIngress(ns, "a", "192.168.10.0");
        h.create(ns, "b");
        h.awaitIngress(ns, "b", "192.168.10.1");
        h.create(ns, "c");
        h.awaitIngress(ns, "c", "192.168.10.2");
        h.client.services().inNamespace(ns).withName("a").delete();
        h.create(ns, "d");
        h.awaitIngress(ns, "d", "192.168.10.0");
    }

    @Test
    void item5_avoidBuggyIpsStartsAtDotOne() {
        h.pools(avoidBuggy("p", "192.168.10.0/24"));
        h.create(ns, "a");
        h.awaitIngress(ns, "a", "192.168.10.1");
    }

    @Test
    void item6_ingressHoldsOnlyTheIpThePoolIsAnnotatedAndIpAllocatedIsRecorded() {
        h.pools(pool("lab", "198.18.0.200-198.18.0.250"));
        Service svc = h.create(ns, "svc1");
        Service written = h.awaitIngress(ns, "svc1", "198.18.0.200");
        var entry = written.getStatus().getLoadBalancer().getIngress().get(0);
        assertThat(entry.getHostname()).isNull();
        assertThat(entry.getPorts()).isNullOrEmpty();
        assertThat(written.getMetadata().getAnnotations()).containsEntry("metallb.io/ip-allocated-from-pool", "lab");
        assertThat(written.getSpec().getPorts().get(0).getNodePort()).isPositive();
        assertThat(written.getSpec().getClusterIP()).startsWith("198.19.");
        assertThat(h.awaitEvent(ns, "svc1", "IPAllocated")).isEqualTo("Assigned IP [\"198.18.0.200\"]");
        Event event = h.events(ns, "svc1").stream().filter(e -> e.getReason().equals("IPAllocated")).findFirst()
                .orElseThrow();
        assertThat(event.getSource().getComponent()).isEqualTo("ferrolb-controller");
        assertThat(event.getType()).isEqualTo("Normal");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(svc.getMetadata().getUid());
    }

    @Test
    void item7_autoAssignFalseOnlyOnRequest() {
        h.pools(manual("manual", "10.7.0.0/24"), pool("auto", "10.7.1.0/24"));
        h.create(ns, "auto");
        h.awaitIngress(ns, "auto", "10.7.1.0");
        h.create(ns, "by-annotation", b -> b.editMetadata().addToAnnotations("metallb.io/loadBalancerIPs", "10.7.0.9")
                .endMetadata());
        h.awaitIngress(ns, "by-annotation", "10.7.0.9");
        h.create(ns, "by-spec", b -> b.editSpec().withLoadBalancerIP("10.7.0.10").endSpec());
        h.awaitIngress(ns, "by-spec", "10.7.0.10");
        h.create(ns, "by-pool", b -> b.editMetadata().addToAnnotations("metallb.io/address-pool", "manual")
                .endMetadata());
        h.awaitIngress(ns, "by-pool", "10.7.0.0");
    }

    @Test
    void item8_priorityNamespaceRestrictionAndPending() {
        h.plane.ensureNamespace(ns);
        h.pools(restricted("later", 0, List.of(ns), null, null, "10.8.0.0/24"),
                restricted("first", 5, List.of(ns), null, null, "10.8.5.0/24"),
                restricted("web", 1, null, null, List.of(labels("tier", "web")), "10.8.1.0/24"));
        h.create(ns, "plain");
        h.awaitIngress(ns, "plain", "10.8.5.0");
        h.create(ns, "web", b -> b.editMetadata().addToLabels("tier", "web").endMetadata());
        h.awaitIngress(ns, "web", "10.8.1.0");
        String other = ns + "-other";
        try {
            h.create(other, "outsider", b -> b.editSpec().withLoadBalancerIP("10.8.5.7").endSpec());
            assertThat(h.awaitEvent(other, "outsider", "AllocationFailed"))
                    .isEqualTo("Failed to allocate IP for \"" + other + "/outsider\": pool first not compatible for ip "
                            + "assignment");
            assertThat(h.ingress(other, "outsider")).isEmpty();
        } finally {
            h.deleteServices(other);
        }
    }

    @Test
    void item9_sharingByKeyWithDisjointPorts() {
        h.pools(pool("p", "10.9.0.0/24"));
        h.create(ns, "dns-tcp", b -> b.editMetadata().addToAnnotations("metallb.io/allow-shared-ip", "k").endMetadata()
                .editSpec().withLoadBalancerIP("10.9.0.53").editFirstPort().withPort(53).endPort().endSpec());
        h.create(ns, "dns-udp", b -> b.editMetadata().addToAnnotations("metallb.io/allow-shared-ip", "k").endMetadata()
                .editSpec().withLoadBalancerIP("10.9.0.53").editFirstPort().withProtocol("UDP").withPort(53).endPort()
                .endSpec());
        h.awaitIngress(ns, "dns-tcp", "10.9.0.53");
        h.awaitIngress(ns, "dns-udp", "10.9.0.53");
        h.create(ns, "clash", b -> b.editMetadata().addToAnnotations("metallb.io/allow-shared-ip", "k").endMetadata()
                .editSpec().withLoadBalancerIP("10.9.0.53").editFirstPort().withPort(53).endPort().endSpec());
        assertThat(h.awaitEvent(ns, "clash", "AllocationFailed")).isEqualTo("Failed to allocate IP for \"" + ns
                + "/clash\": port TCP/53 is already in use on \"10.9.0.53\"");
        h.create(ns, "other-key", b -> b.editMetadata().addToAnnotations("metallb.io/allow-shared-ip", "z")
                .endMetadata().editSpec().withLoadBalancerIP("10.9.0.53").editFirstPort().withPort(99).endPort()
                .endSpec());
        assertThat(h.awaitEvent(ns, "other-key", "AllocationFailed")).contains("can't change sharing key for \"" + ns
                + "/other-key\", address also in use by");
        h.create(ns, "local-a", b -> b.editMetadata().addToAnnotations("metallb.io/allow-shared-ip", "l").endMetadata()
                .editSpec().withExternalTrafficPolicy("Local").withLoadBalancerIP("10.9.0.60").endSpec());
        h.awaitIngress(ns, "local-a", "10.9.0.60");
        h.create(ns, "local-b", b -> b.editMetadata().addToAnnotations("metallb.io/allow-shared-ip", "l").endMetadata()
                .editSpec().withExternalTrafficPolicy("Local").withLoadBalancerIP("10.9.0.60").editFirstPort()
                .withPort(81).endPort().endSpec());
        assertThat(h.awaitEvent(ns, "local-b", "AllocationFailed")).contains("can't change sharing key");
    }

    @Test
    void item10_dualStackFamiliesAndPolicies() {
        h.pools(pool("dual", "10.10.0.0/24", "fc00:10::/120"));
        h.create(ns, "require", b -> b.editSpec().withIpFamilyPolicy("RequireDualStack").withIpFamilies("IPv6", "IPv4")
                .endSpec());
        h.awaitIngress(ns, "require", "10.10.0.0", "fc00:10::");
        h.create(ns, "single", b -> b.editSpec().withIpFamilyPolicy("PreferDualStack").endSpec());
        h.awaitIngress(ns, "single", "10.10.0.1", "fc00:10::1");
        h.create(ns, "wrong-family", b -> b.editSpec().withLoadBalancerIP("fc00:10::9").endSpec());
        assertThat(h.awaitEvent(ns, "wrong-family", "AllocationFailed")).endsWith(
                "requested loadBalancer IP(s) [\"fc00:10::9\"] does not match the ipFamily of the service");
    }

    @Test
    void item10_preferDualStackWithSingleFamilyPools() {
        h.pools(pool("v4", "10.11.0.0/24"), pool("v6", "fc00:11::/120"));
        h.create(ns, "prefer", b -> b.editSpec().withIpFamilyPolicy("PreferDualStack").withIpFamilies("IPv6", "IPv4")
                .endSpec());
        h.awaitIngress(ns, "prefer", "fc00:11::");
        assertThat(h.awaitEvent(ns, "prefer", "AdditionalAssignFailed")).isEqualTo(
                "cannot assign additional IP in PreferDualStack: no available IPs in pool v6 for ipv4 IPFamily");
    }

    @Test
    void item11_typeChangeClearsAndDeletionServesThePending() {
        h.pools(pool("tiny", "10.12.0.1/32"));
        h.create(ns, "first");
        h.awaitIngress(ns, "first", "10.12.0.1");
        h.create(ns, "second");
        h.awaitEvent(ns, "second", "AllocationFailed");
        h.client.services().inNamespace(ns).withName("first").edit(s -> {
            s.getSpec().setType("NodePort");
            return s;
        });
        await().atMost(Harness.WAIT).until(() -> h.ingress(ns, "first").isEmpty() && !h.get(ns, "first").getMetadata()
                .getAnnotations().containsKey("metallb.io/ip-allocated-from-pool"));
        h.awaitIngress(ns, "second", "10.12.0.1");
        h.create(ns, "third");
        h.awaitEvent(ns, "third", "AllocationFailed");
        h.client.services().inNamespace(ns).withName("second").delete();
        h.awaitIngress(ns, "third", "10.12.0.1");
    }

    @Test
    void item12_deletingAPoolReallocatesAndDeletingAllClears() {
        h.pools(pool("a", "10.13.0.0/24"), pool("b", "10.13.1.0/24"));
        h.create(ns, "svc", b -> b.editMetadata().addToAnnotations("metallb.io/address-pool", "a").endMetadata());
        h.awaitIngress(ns, "svc", "10.13.0.0");
        h.client.services().inNamespace(ns).withName("svc").edit(s -> {
            s.getMetadata().getAnnotations().remove("metallb.io/address-pool");
            return s;
        });
        h.client.resources(IPAddressPool.class).inNamespace(Harness.NS).withName("a").delete();
        h.awaitIngress(ns, "svc", "10.13.1.0");
        assertThat(h.awaitEvent(ns, "svc", "ClearAssignment")).startsWith("current IP for \"" + ns
                + "/svc\" not allowed by config, will attempt for new IP assignment: ");
        h.client.resources(IPAddressPool.class).inNamespace(Harness.NS).delete();
        h.awaitIngress(ns, "svc");
    }

    @Test
    void item4_poolStatusCountsAssignedAndAvailable() {
        h.pools(avoidBuggy("counted", "10.14.0.0/24", "fc00:14::/120"));
        await().atMost(Harness.WAIT).until(() -> status("counted") != null);
        assertThat(status("counted")).isEqualTo(new IPAddressPoolStatus(0, 0, 254, 256));
        h.create(ns, "one");
        h.awaitIngress(ns, "one", "10.14.0.1");
        await().atMost(Harness.WAIT).until(() -> new IPAddressPoolStatus(1, 0, 253, 256).equals(status("counted")));
        h.pools(avoidBuggy("small", "10.14.1.0/31"));
        await().atMost(Harness.WAIT).until(() -> status("small") != null);
        assertThat(status("small").availableIPv4() + status("small").assignedIPv4()).isEqualTo(1);
    }

    @Test
    void item4_aPoolDeletedAndCreatedAgainUnderItsNameGetsItsStatus() {
        h.pools(pool("again", "10.14.2.0/30"));
        await().atMost(Harness.WAIT).until(() -> new IPAddressPoolStatus(0, 0, 4, 0).equals(status("again")));
        // Same name, same counters, a new object without status (found by DifferentialIT).
        h.pools(pool("again", "10.14.2.0/30"));
        await().atMost(Harness.WAIT).until(() -> new IPAddressPoolStatus(0, 0, 4, 0).equals(status("again")));
    }

    @Test
    void item15_deprecatedAnnotationsWorkAndWarn() {
        h.pools(pool("old", "10.15.0.0/24"), pool("new", "10.15.1.0/24"));
        h.create(ns, "legacy", b -> b.editMetadata().addToAnnotations("metallb.universe.tf/address-pool", "new")
                .endMetadata());
        h.awaitIngress(ns, "legacy", "10.15.1.0");
        assertThat(h.awaitEvent(ns, "legacy", "deprecatedAnnotation"))
                .isEqualTo("Service uses deprecated annotation metallb.universe.tf/address-pool");
        Event warning = h.events(ns, "legacy").stream().filter(e -> e.getReason().equals("deprecatedAnnotation"))
                .findFirst().orElseThrow();
        assertThat(warning.getType()).isEqualTo("Warning");
        h.create(ns, "legacy-ips", b -> b.editMetadata().addToAnnotations(Map.of(
                "metallb.universe.tf/loadBalancerIPs", "10.15.0.7")).endMetadata());
        h.awaitIngress(ns, "legacy-ips", "10.15.0.7");
    }

    private static IPAddressPoolStatus status(String pool) {
        IPAddressPool p = h.client.resources(IPAddressPool.class).inNamespace(Harness.NS).withName(pool).get();
        return p == null ? null : p.getStatus();
    }
}
