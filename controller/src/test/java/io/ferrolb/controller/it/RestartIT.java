package io.ferrolb.controller.it;

import static io.ferrolb.controller.allocator.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.ferrolb.controller.Controller;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/compatibility.md §7 item 14 and the restart acceptance test: 500 Services allocated, the controller
 * stopped and started twice, not one address changes; Services created while it was down are
 * served with free addresses after the restart.
 */
class RestartIT {

    private static final int SERVICES = 500;
    private static final String NS = "restart";

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();

    @Test
    void restartsNeverMoveAnAddress() throws Exception {
        Harness h = new Harness(apiServer.controlPlane());
        h.plane.ensureNamespace(NS);
        h.pools(pool("big", "10.20.0.0/22"), pool("dual", "10.21.0.0/24", "fc00:21::/112"));
        Controller controller = h.startController();
        createServices(h, 0, SERVICES);
        Map<String, List<String>> before = awaitAllAllocated(h, SERVICES);
        assertThat(new HashSet<>(before.values())).hasSize(SERVICES);
        for (int restart = 1; restart <= 2; restart++) {
            h.stop(controller);
            // One Service appears while nobody allocates; the restarted controller must not give it a taken address.
            h.create(NS, "while-down-" + restart);
            controller = h.startController();
            Controller current = controller;
            await().atMost(Duration.ofSeconds(60)).until(current::ready);
            Map<String, List<String>> after = awaitAllAllocated(h, SERVICES + restart);
            for (Map.Entry<String, List<String>> e : before.entrySet()) {
                assertThat(after.get(e.getKey())).as("address of %s after restart %d", e.getKey(), restart)
                        .isEqualTo(e.getValue());
            }
            assertThat(new HashSet<>(after.values())).hasSize(after.size());
            before = after;
        }
        h.stopAll();
    }

    private static void createServices(Harness h, int from, int to) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Service>> created = new java.util.ArrayList<>();
            for (int i = from; i < to; i++) {
                String name = "svc-" + i;
                boolean dual = i % 10 == 0;
                created.add(pool.submit(() -> h.client.resource(new ServiceBuilder()
                        .withNewMetadata().withNamespace(NS).withName(name).endMetadata()
                        .withNewSpec().withType("LoadBalancer").withSelector(Map.of("app", name))
                        .withIpFamilyPolicy(dual ? "RequireDualStack" : "SingleStack")
                        .addNewPort().withProtocol("TCP").withPort(80).endPort().endSpec()
                        .build()).create()));
            }
            for (Future<Service> f : created) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static Map<String, List<String>> awaitAllAllocated(Harness h, int count) {
        return await().atMost(Duration.ofSeconds(120)).until(() -> {
            Map<String, List<String>> ips = new TreeMap<>();
            for (Service s : h.client.services().inNamespace(NS).list().getItems()) {
                ips.put(s.getMetadata().getName(), Harness.ingress(s));
            }
            return ips;
        }, m -> m.size() == count && m.values().stream().noneMatch(List::isEmpty));
    }
}
