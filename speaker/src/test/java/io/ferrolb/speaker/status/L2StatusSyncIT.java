package io.ferrolb.speaker.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.api.v1beta1.ServiceL2Status;
import io.ferrolb.api.v1beta1.ServiceL2StatusSpec;
import io.ferrolb.testkit.ControlPlaneBinaries;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** {@link L2StatusSync} on a real API server. */
class L2StatusSyncIT {

    private static final String NS = "metallb-system";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();

    /**
     * A speaker that stops while it withdraws its objects: close() interrupts the deletes, and the
     * sync stops with one line instead of a warning per object left (a lab speaker leaving 345
     * Services logged 188 of them).
     */
    @Test
    void aCloseDuringTheWithdrawalStopsTheSyncWithoutAWarningPerObject() {
        KubernetesClient client = apiServer.controlPlane().client();
        apiServer.controlPlane().installCrds(ControlPlaneBinaries.repositoryRoot().resolve("crds/manifests"));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .serverSideApply();
        int objects = 300;
        for (int i = 0; i < objects; i++) {
            ServiceL2Status status = new ServiceL2Status();
            status.getMetadata().setNamespace(NS);
            status.getMetadata().setName("l2-test-" + i);
            status.getMetadata().setLabels(Map.of(L2StatusSync.NODE_LABEL, "n1",
                    L2StatusSync.SERVICE_NAME_LABEL, "svc" + i, L2StatusSync.SERVICE_NAMESPACE_LABEL, "demo"));
            status.setSpec(new ServiceL2StatusSpec());
            client.resource(status).create();
        }
        Logger logger = (Logger) LoggerFactory.getLogger(L2StatusSync.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            L2StatusSync sync = new L2StatusSync(client, NS, "n1", null, null, () -> list(client));
            sync.announced(Map.of());
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> list(client).size() < objects);
            sync.close();

            await().atMost(WAIT).until(() -> !warnings(log).isEmpty() || logged(log).stream()
                    .anyMatch(e -> e.getFormattedMessage().startsWith("servicel2status sync stopped by the shutdown")));
            assertThat(warnings(log)).isEmpty();
            // It stopped early: the objects left are the next owners' (or go with the Pod).
            assertThat(list(client)).isNotEmpty();
        } finally {
            logger.detachAppender(log);
        }
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> log) {
        return logged(log).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The appender appends under its own lock (logback's AppenderBase). */
    private static List<ILoggingEvent> logged(ListAppender<ILoggingEvent> log) {
        synchronized (log) {
            return List.copyOf(log.list);
        }
    }

    private static List<ServiceL2Status> list(KubernetesClient client) {
        return client.resources(ServiceL2Status.class).inNamespace(NS).list().getItems();
    }
}
