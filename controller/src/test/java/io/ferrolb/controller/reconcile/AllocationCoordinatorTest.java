package io.ferrolb.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.config.Config;
import io.ferrolb.controller.convergence.ServiceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Readiness follows the first pass's writes, not only its decisions. */
class AllocationCoordinatorTest {

    /** A writer whose status writes wait for the test to let them through. */
    private static final class HeldWriter implements ServiceWriter {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger waiting = new AtomicInteger();
        final AtomicInteger written = new AtomicInteger();

        @Override
        public Service writeStatus(Service service) {
            waiting.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            written.incrementAndGet();
            return new ServiceBuilder(service).editMetadata().withResourceVersion("2").endMetadata().build();
        }

        @Override
        public void record(Service service, ServiceEvent event) {
        }
    }

    private final HeldWriter writer = new HeldWriter();
    private final AllocationCoordinator coordinator = new AllocationCoordinator(writer,
            new ControllerMetrics(new SimpleMeterRegistry()), LoadBalancerClass.of(""), counters -> { });

    @AfterEach
    void close() {
        writer.release.countDown();
        coordinator.close();
    }

    private static Service lb(String name) {
        return new ServiceBuilder().withNewMetadata().withNamespace("default").withName(name).withResourceVersion("1")
                .endMetadata().withNewSpec().withType("LoadBalancer").withClusterIP("198.19.0.10")
                .withClusterIPs("198.19.0.10").withIpFamilies("IPv4").withIpFamilyPolicy("SingleStack")
                .addNewPort().withProtocol("TCP").withPort(80).endPort().endSpec().build();
    }

    @Test
    void notReadyWhileTheFirstPassIsStillBeingWritten() throws Exception {
        List<Service> services = List.of(lb("svc1"), lb("svc2"));
        coordinator.servicesFrom(services::stream);
        coordinator.onConfig(Config.from(List.of(new IPAddressPool("metallb-system", "lab",
                IPAddressPoolSpec.of("198.18.0.200-198.18.0.250"))), List.of()));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.waiting.get() == 2);
        assertThat(coordinator.ready()).as("decided, but no status written yet").isFalse();

        writer.release.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(coordinator::ready);
        assertThat(writer.written.get()).isEqualTo(2);
    }

    @Test
    void notReadyBeforeAConfigurationIsLoaded() {
        coordinator.servicesFrom(Stream::empty);
        coordinator.requestReprocess();
        assertThat(coordinator.ready()).isFalse();
    }
}
