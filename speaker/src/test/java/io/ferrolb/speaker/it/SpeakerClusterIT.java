package io.ferrolb.speaker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.ferrolb.api.v1beta1.ServiceL2Status;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.election.Election;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three speakers with sealed SWIM membership on a real API server: every Service announced by
 * exactly the node the election predicts, one ServiceL2Status per announced Service, nodeAssigned
 * from the winner only; a leaving winner hands over and its status object moves
 * (docs/compatibility.md §7 items 16, 22, 23).
 */
class SpeakerClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();
    static SpeakerCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new SpeakerCluster(apiServer.controlPlane());
        for (int i = 1; i <= 3; i++) {
            cluster.registerNode(i);
        }
        for (int i = 1; i <= 3; i++) {
            cluster.start(i);
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void everyServiceIsAnnouncedByThePredictedNodeOnly() {
        String[] ips = {"198.18.0.200", "198.18.0.201", "198.18.0.202", "198.18.0.203"};
        for (int i = 0; i < ips.length; i++) {
            cluster.service("demo", "svc" + i, ips[i], "n" + (1 + i % 3));
        }
        for (int i = 0; i < ips.length; i++) {
            String winner = Election.winner(NODES, IpAddress.parse(ips[i])).orElseThrow();
            String key = "demo/svc" + i;
            String name = "svc" + i;
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(cluster.owners(key)).containsExactly(winner);
                List<ServiceL2Status> statuses = cluster.statuses("demo", name);
                assertThat(statuses).singleElement().satisfies(s -> {
                    assertThat(s.getStatus().getNode()).isEqualTo(winner);
                    assertThat(s.getMetadata().getName()).startsWith("l2-");
                    assertThat(s.getMetadata().getLabels()).containsEntry("metallb.io/node", winner)
                            .containsEntry("metallb.io/service-name", name)
                            .containsEntry("metallb.io/service-namespace", "demo");
                    assertThat(s.getMetadata().getOwnerReferences()).singleElement()
                            .satisfies(o -> assertThat(o.getName()).isEqualTo("speaker-" + winner));
                    assertThat(s.getStatus().getInterfaces()).isNull();
                });
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(nodeAssigned("demo", name))
                    .isNotEmpty()
                    .allSatisfy(e -> {
                        assertThat(e.getMessage()).isEqualTo("announcing from node \"" + winner
                                + "\" with protocol \"layer2\"");
                        assertThat(e.getSource().getComponent()).isEqualTo("ferrolb-speaker");
                    }));
        }
    }

    @Test
    void aLeavingWinnerHandsOverAndTheStatusMoves() throws Exception {
        String ip = "198.18.0.220";
        cluster.service("move", "svc", ip, "n1");
        String winner = Election.winner(NODES, IpAddress.parse(ip)).orElseThrow();
        await().atMost(WAIT).until(() -> cluster.owners("move/svc").equals(List.of(winner)));
        cluster.stop(winner);
        List<String> rest = NODES.stream().filter(n -> !n.equals(winner)).toList();
        String next = Election.winner(rest, IpAddress.parse(ip)).orElseThrow();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(cluster.owners("move/svc")).containsExactly(next);
            assertThat(cluster.statuses("move", "svc")).singleElement()
                    .satisfies(s -> assertThat(s.getStatus().getNode()).isEqualTo(next));
        });
        cluster.start(Integer.parseInt(winner.substring(1)));
        // No stickiness: the returning node ranks first again and takes the address back.
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(cluster.owners("move/svc")).containsExactly(winner);
            assertThat(cluster.statuses("move", "svc")).singleElement()
                    .satisfies(s -> assertThat(s.getStatus().getNode()).isEqualTo(winner));
        });
        assertThat(Set.copyOf(cluster.running().keySet())).containsExactlyInAnyOrderElementsOf(NODES);
    }

    @Test
    void aDeletedServiceLosesItsStatus() {
        cluster.service("gone", "svc", "198.18.0.230", "n2");
        await().atMost(WAIT).until(() -> cluster.statuses("gone", "svc").size() == 1);
        cluster.client.services().inNamespace("gone").withName("svc").delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(cluster.statuses("gone", "svc")).isEmpty();
            assertThat(cluster.owners("gone/svc")).isEmpty();
        });
    }

    private static List<Event> nodeAssigned(String namespace, String name) {
        return cluster.client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && "nodeAssigned".equals(e.getReason()))
                .toList();
    }
}
