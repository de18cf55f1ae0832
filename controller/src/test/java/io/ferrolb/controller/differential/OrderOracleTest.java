package io.ferrolb.controller.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order oracle on its own: which answers some serving order gives, and which none does. */
class OrderOracleTest {

    /** Three single-stack Services created before any pool, then a pool with two addresses. */
    private static final Side.World WORLD = new Side.World(
            Map.of("a/s1", service("a", "s1"), "a/s2", service("a", "s2"), "b/s3", service("b", "s3")),
            List.of(new IPAddressPool(Side.NAMESPACE, "p", IPAddressPoolSpec.of("10.0.0.1-10.0.0.2"))),
            Map.of("a", Map.of(), "b", Map.of()));

    private static final Snapshot BEFORE = new Snapshot(Map.of("a/s1", wanting(), "a/s2", wanting(),
            "b/s3", wanting()), Map.of());

    @Test
    void anyOrderOfTheWantingServicesIsAnAnswer() {
        assertThat(OrderOracle.reachable(WORLD, BEFORE, after(held("10.0.0.1"), held("10.0.0.2"), wanting())))
                .isTrue();
        assertThat(OrderOracle.reachable(WORLD, BEFORE, after(wanting(), held("10.0.0.1"), held("10.0.0.2"))))
                .isTrue();
        assertThat(OrderOracle.reachable(WORLD, BEFORE, after(held("10.0.0.2"), wanting(), held("10.0.0.1"))))
                .isTrue();
    }

    @Test
    void anAnswerNoOrderGivesIsNot() {
        // One address twice, an address left free while a Service wants one, an address outside the pool.
        assertThat(OrderOracle.reachable(WORLD, BEFORE, after(held("10.0.0.1"), held("10.0.0.1"), wanting())))
                .isFalse();
        assertThat(OrderOracle.reachable(WORLD, BEFORE, after(held("10.0.0.1"), wanting(), wanting()))).isFalse();
        assertThat(OrderOracle.reachable(WORLD, BEFORE, after(held("10.0.0.9"), held("10.0.0.2"), wanting())))
                .isFalse();
    }

    @Test
    void permutationsAreAllOrders() {
        assertThat(OrderOracle.permutations(List.of("x", "y", "z"))).hasSize(6).doesNotHaveDuplicates();
        assertThat(OrderOracle.permutations(List.of())).containsExactly(List.of());
    }

    private static Snapshot after(Snapshot.ServiceState s1, Snapshot.ServiceState s2, Snapshot.ServiceState s3) {
        return new Snapshot(Map.of("a/s1", s1, "a/s2", s2, "b/s3", s3), Map.of());
    }

    private static Snapshot.ServiceState wanting() {
        return new Snapshot.ServiceState(List.of(), null, List.of(), true);
    }

    private static Snapshot.ServiceState held(String ip) {
        return new Snapshot.ServiceState(List.of(ip), "p", List.of(), false);
    }

    private static Service service(String namespace, String name) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withType("LoadBalancer").withIpFamilies("IPv4").withIpFamilyPolicy("SingleStack")
                .withClusterIP("10.96.0.10").withClusterIPs("10.96.0.10").addNewPort().withProtocol("TCP")
                .withPort(80).endPort().endSpec().build();
    }
}
