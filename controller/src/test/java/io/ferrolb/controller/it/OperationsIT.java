package io.ferrolb.controller.it;

import static io.ferrolb.controller.allocator.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.controller.Controller;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The controller as operators see it: the load-balancer class filter (docs/compatibility.md §7 item 13), metrics
 * and health, a configuration that slipped past the webhook, the membership Secret, and leader
 * election between two replicas.
 */
class OperationsIT {

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();
    static Harness h;
    private final String ns = "ops-" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void setUp() {
        h = new Harness(apiServer.controlPlane());
    }

    @AfterEach
    void cleanUp() {
        h.stopAll();
        h.deleteServices(ns);
    }

    @Test
    void item13_theClassFilterDecidesWhichControllerServesAService() {
        // Two installations, as MetalLB expects them: each its own namespace and pools.
        h.pools(pool("p", "10.30.0.0/24"));
        h.plane.ensureNamespace("other-system");
        h.client.resource(new IPAddressPool("other-system", "q", IPAddressPoolSpec.of("10.30.1.0/24"))).create();
        h.startController();
        h.startController("--lb-class", "example.com/ferrolb", "--namespace", "other-system");
        h.create(ns, "plain");
        h.create(ns, "ours", b -> b.editSpec().withLoadBalancerClass("example.com/ferrolb").endSpec());
        var foreign = h.create(ns, "foreign", b -> b.editSpec().withLoadBalancerClass("example.com/other").endSpec());
        h.awaitIngress(ns, "plain", "10.30.0.0");
        h.awaitIngress(ns, "ours", "10.30.1.0");
        h.create(ns, "after");
        h.awaitIngress(ns, "after", "10.30.0.1");
        var untouched = h.get(ns, "foreign");
        assertThat(untouched.getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());
        assertThat(Harness.ingress(untouched)).isEmpty();
        // Neither controller wrote anything about it; the API server's own events on a Service
        // (ClusterIPAllocation, from its IP allocator) are not ours to count.
        assertThat(h.events(ns, "foreign")).filteredOn(e -> e.getSource() != null
                && "ferrolb-controller".equals(e.getSource().getComponent())).isEmpty();
    }

    @Test
    void metricsUseMetalLbNamesAndPoolSeriesLeaveWithThePool() throws Exception {
        h.pools(pool("m1", "10.31.0.0/24", "fc00:31::/120"), pool("m2", "10.31.1.0/30"));
        Controller c = h.startController();
        h.create(ns, "svc");
        h.awaitIngress(ns, "svc", "10.31.0.0");
        await().atMost(Harness.WAIT).untilAsserted(() -> assertThat(get(c, "/metrics"))
                .contains("metallb_allocator_addresses_total{pool=\"m1\",} 512.0")
                .contains("metallb_allocator_ipv4_addresses_total{pool=\"m1\",} 256.0")
                .contains("metallb_allocator_ipv6_addresses_total{pool=\"m1\",} 256.0")
                .contains("metallb_allocator_addresses_in_use_total{pool=\"m1\",} 1.0")
                .contains("metallb_allocator_ipv4_addresses_in_use_total{pool=\"m1\",} 1.0")
                .contains("metallb_allocator_ipv6_addresses_in_use_total{pool=\"m1\",} 0.0")
                .contains("metallb_allocator_addresses_total{pool=\"m2\",} 4.0")
                .contains("metallb_k8s_client_config_loaded_bool 1.0")
                .contains("metallb_k8s_client_config_stale_bool 0.0")
                .containsPattern("metallb_k8s_client_updates_total [1-9]"));
        h.client.resources(IPAddressPool.class).inNamespace(Harness.NS).withName("m2").delete();
        await().atMost(Harness.WAIT).untilAsserted(() -> assertThat(get(c, "/metrics"))
                .doesNotContain("pool=\"m2\"").contains("pool=\"m1\""));
        assertThat(status(c, "/healthz")).isEqualTo(200);
        assertThat(status(c, "/readyz")).isEqualTo(200);
    }

    @Test
    void aConfigurationThatBypassedTheWebhookKeepsTheLastGoodOneAndIsReported() throws Exception {
        h.pools(pool("good", "10.32.0.0/24"));
        Controller c = h.startController();
        h.create(ns, "svc");
        h.awaitIngress(ns, "svc", "10.32.0.0");
        // No webhook here, so the schema is the only check: a bad CIDR gets stored.
        h.client.resource(new IPAddressPool(Harness.NS, "broken", IPAddressPoolSpec.of("10.33.0.0/33"))).create();
        assertThat(h.awaitEvent(Harness.NS, "broken", "InvalidConfiguration")).isEqualTo(
                "field spec.addresses[0]: parsing address pool broken: invalid CIDR \"10.33.0.0/33\" in pool \"broken\": "
                        + "invalid CIDR \"10.33.0.0/33\"; the last valid configuration stays in force");
        await().atMost(Harness.WAIT).untilAsserted(() -> assertThat(get(c, "/metrics"))
                .contains("metallb_k8s_client_config_stale_bool 1.0"));
        h.client.resources(IPAddressPool.class).inNamespace(Harness.NS).withName("good").delete();
        h.create(ns, "second");
        // The good pool's deletion is part of the broken configuration: nothing is applied, no address moves.
        h.awaitEvent(ns, "second", "IPAllocated");
        assertThat(h.ingress(ns, "svc")).containsExactly("10.32.0.0");
        assertThat(h.ingress(ns, "second")).containsExactly("10.32.0.1");
        h.client.resources(IPAddressPool.class).inNamespace(Harness.NS).withName("broken").edit(p -> {
            p.setSpec(IPAddressPoolSpec.of("10.33.0.0/24"));
            return p;
        });
        await().atMost(Harness.WAIT).untilAsserted(() -> assertThat(get(c, "/metrics"))
                .contains("metallb_k8s_client_config_stale_bool 0.0"));
        await().atMost(Harness.WAIT).untilAsserted(() -> assertThat(List.of(h.ingress(ns, "svc"), h.ingress(ns, "second")))
                .containsExactlyInAnyOrder(List.of("10.33.0.0"), List.of("10.33.0.1")));
    }

    @Test
    void theMembershipSecretIsCreatedOnceAndOwnedByTheDeployment() {
        var deployment = h.client.resource(new DeploymentBuilder()
                .withNewMetadata().withNamespace(Harness.NS).withName("ferrolb-controller").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "ferrolb").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "ferrolb").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("none").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        h.startController("--ml-secret-name", "ferrolb-memberlist", "--deployment", "ferrolb-controller");
        Secret secret = h.client.secrets().inNamespace(Harness.NS).withName("ferrolb-memberlist").get();
        String key = new String(Base64.getDecoder().decode(secret.getData().get("secretkey")), StandardCharsets.US_ASCII);
        assertThat(key).hasSize(22).matches("[A-Za-z0-9+/]{22}");
        assertThat(Base64.getDecoder().decode(key)).hasSize(16);
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Deployment");
            assertThat(o.getApiVersion()).isEqualTo("apps/v1");
            assertThat(o.getUid()).isEqualTo(deployment.getMetadata().getUid());
        });
        h.stopAll();
        h.startController("--ml-secret-name", "ferrolb-memberlist", "--deployment", "ferrolb-controller");
        assertThat(h.client.secrets().inNamespace(Harness.NS).withName("ferrolb-memberlist").get().getData())
                .isEqualTo(secret.getData());
    }

    @Test
    void onlyTheLeaderAllocatesAndAFollowerTakesOver() {
        h.pools(pool("le", "10.34.0.0/24"));
        Controller first = h.startController("--leader-elect=true", "--pod-name", "replica-a", "--lease-name", "le");
        await().atMost(Harness.WAIT).until(first::ready);
        Controller second = h.startController("--leader-elect=true", "--pod-name", "replica-b", "--lease-name", "le");
        h.create(ns, "one");
        h.awaitIngress(ns, "one", "10.34.0.0");
        assertThat(second.ready()).isFalse();
        assertThat(h.client.leases().inNamespace(Harness.NS).withName("le").get().getSpec().getHolderIdentity())
                .isEqualTo("replica-a");
        h.stop(first);
        await().atMost(Harness.WAIT).until(second::ready);
        h.create(ns, "two");
        h.awaitIngress(ns, "two", "10.34.0.1");
        assertThat(h.ingress(ns, "one")).containsExactly("10.34.0.0");
    }

    private static String get(Controller c, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.opsPort()
                + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(Controller c, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.opsPort()
                + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

}
