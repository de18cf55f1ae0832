package io.ferrolb.speaker.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.testkit.ControlPlaneBinaries;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ClusterView#rewatch} on a real API server: the caches are listed again and switched to,
 * the loop hears about it, and changes after it arrive through the new watches.
 */
class ClusterViewIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();

    @Test
    void aRewatchListsAgainAndKeepsReportingChanges() throws Exception {
        KubernetesClient client = apiServer.controlPlane().client();
        apiServer.controlPlane().installCrds(ControlPlaneBinaries.repositoryRoot().resolve("crds/manifests"));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("metallb-system")
                .endMetadata().build()).serverSideApply();
        client.resource(service("before")).create();
        AtomicInteger changes = new AtomicInteger();
        AtomicInteger statusChanges = new AtomicInteger();
        try (ClusterView view = new ClusterView(client, "metallb-system", null, changes::incrementAndGet,
                statusChanges::incrementAndGet)) {
            view.begin();
            view.awaitSynced(WAIT);
            assertThat(view.services()).extracting(s -> s.getMetadata().getName()).contains("before");

            int changesBefore = changes.get();
            int statusChangesBefore = statusChanges.get();
            view.rewatch(WAIT);
            assertThat(view.services()).extracting(s -> s.getMetadata().getName()).contains("before");
            // The loop plans again on the new caches, and the status sync looks again.
            assertThat(changes.get()).isGreaterThan(changesBefore);
            assertThat(statusChanges.get()).isGreaterThan(statusChangesBefore);

            int afterRewatch = changes.get();
            client.resource(service("after")).create();
            await().atMost(WAIT).untilAsserted(() -> assertThat(view.services())
                    .extracting(s -> s.getMetadata().getName()).contains("before", "after"));
            assertThat(changes.get()).isGreaterThan(afterRewatch);
        }
    }

    private static Service service(String name) {
        return new ServiceBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec().build();
    }
}
