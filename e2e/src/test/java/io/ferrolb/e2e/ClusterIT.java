package io.ferrolb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.ferrolb.e2e.lab.ArpWatch;
import io.ferrolb.e2e.lab.Await;
import io.ferrolb.e2e.lab.ClusterDemo;
import io.ferrolb.e2e.lab.ClusterLab;
import io.ferrolb.e2e.lab.ClusterNode;
import io.ferrolb.e2e.lab.Lab;
import io.ferrolb.e2e.lab.Sh;
import io.ferrolb.e2e.lab.Steps;
import io.ferrolb.testkit.CommandResult;
import io.ferrolb.testkit.ControlPlaneBinaries;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * ferrolb as users run it (the cluster lab): its images in each node's containerd, the chart installed
 * with the Helm CLI, real kubelets, kube-proxy, scheduler and controller-manager. The walkthrough, the
 * webhook on its real path, metrics from the pods' ports, a {@code helm upgrade} that rolls the
 * speakers without a VIP answered by two nodes, and three takeovers. The tests build on each other in
 * order: the walkthrough's Services are the later tests' VIPs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String NS = "metallb-system";

    private static ClusterLab lab;
    private static ClusterDemo demo;
    private static Map<String, String> vips = Map.of();

    @BeforeAll
    static void up() {
        assertThat(Sh.run("id", "-u").stdout().strip()).as("the cluster lab runs as root").isEqualTo("0");
        LabExtension.closeShared();
        lab = ClusterLab.up(Lab.DEFAULT_DIR, 3, new Steps(System.out));
        demo = new ClusterDemo(lab);
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void theWalkthrough() {
        List<Pod> pods = lab.client().pods().inNamespace(NS).list().getItems();
        assertThat(pods).hasSize(4).allSatisfy(p -> assertThat(p.getStatus().getConditions())
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
        assertThat(pods).filteredOn(p -> p.getMetadata().getName().startsWith("ferrolb-speaker-"))
                .extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrder("n1", "n2", "n3");

        // The demo fails by itself when arping does not show the ServiceL2Status node's MAC alone or
        // curl is not answered by a web pod.
        vips = demo.walkthrough();
        assertThat(new HashSet<>(vips.values())).hasSize(3)
                .allSatisfy(ip -> assertThat(ip).matches("198\\.18\\.0\\.2([0-4][0-9]|50)"));
    }

    @Test
    @Order(2)
    void theWebhookRejectsABadPoolThroughItsServiceAndTheControllerPod() {
        CommandResult r = lab.plane().kubectlWithInput("""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata:
                  name: bad
                  namespace: metallb-system
                spec:
                  addresses:
                  - 198.18.1.0/33
                """, "apply", "-f", "-");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("denied the request: ").contains("invalid CIDR \"198.18.1.0/33\"");
        assertThat(lab.kubectl(null, "get", "ipaddresspools", "-n", NS, "-o", "name")).doesNotContain("bad");
    }

    @Test
    @Order(3)
    void metricsAreServedOnThePodsPorts() {
        StringBuilder all = new StringBuilder();
        for (ClusterNode node : lab.nodes()) {
            String metrics = lab.metrics(node.ip());
            assertThat(metrics).as("speaker of " + node.name()).contains("metallb_k8s_client_config_loaded_bool 1");
            all.append(metrics);
        }
        // Each VIP is announced by its owner, whichever node that is.
        vips.values().forEach(ip -> assertThat(all.toString())
                .containsPattern("metallb_speaker_announced\\{[^}]*ip=\"" + ip.replace(".", "\\.") + "\""));
        Pod controller = lab.client().pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "controller")
                .list().getItems().get(0);
        String metrics = lab.metrics(controller.getStatus().getPodIP());
        assertThat(metrics).containsPattern("metallb_allocator_addresses_in_use_total\\{pool=\"lab-pool\",?\\} 3(\\.0)?\n");
    }

    @Test
    @Order(4)
    void helmUpgradeRollsTheSpeakersWithoutAVipAnsweredByTwoNodes() {
        List<String> addresses = List.copyOf(vips.values());
        Set<String> before = speakerPodUids();
        try (ArpWatch arp = ArpWatch.start(lab.dir(), lab.pids(), "upgrade-arp-watch", addresses, 50)) {
            Await.until("the ARP watch sees every VIP", WAIT, () -> arp.refresh().current().keySet()
                    .containsAll(addresses) && addresses.stream().allMatch(v -> arp.current().get(v).size() == 1));
            long at = System.currentTimeMillis();
            lab.helm("upgrade", ClusterLab.RELEASE, ControlPlaneBinaries.repositoryRoot().resolve("helm/ferrolb")
                    .toString(), "-n", NS, "--reuse-values", "--set", "speaker.logLevel=debug", "--wait",
                    "--timeout", "3m");
            // Helm's --wait can return before the last new pod is Ready.
            lab.kubectl(null, "rollout", "status", "daemonset/ferrolb-speaker", "-n", NS, "--timeout=300s");
            demo.awaitSpeakersReady();
            vips.forEach(demo::awaitSettled);
            assertThat(speakerPodUids()).as("every speaker pod replaced").doesNotContainAnyElementsOf(before)
                    .hasSize(3);
            DaemonSet ds = lab.client().apps().daemonSets().inNamespace(NS).withName("ferrolb-speaker").get();
            assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .anySatisfy(e -> {
                        assertThat(e.getName()).isEqualTo("FERROLB_LOG_LEVEL");
                        assertThat(e.getValue()).isEqualToIgnoringCase("debug");
                    });
            assertThat(arp.refresh().doubles()).as("ARP rounds with two owners since the upgrade began")
                    .filteredOn(d -> d.epochMs() >= at).isEmpty();
            assertThat(arp.lastRoundEpochMs()).isGreaterThan(at);
        }
    }

    @Test
    @Order(5)
    void threeTakeoversOfSvc1() {
        List<ClusterDemo.Takeover> takeovers = demo.takeovers(vips.get("svc1"));
        assertThat(takeovers).hasSize(3).allSatisfy(t -> {
            assertThat(t.to()).as(t.how()).isIn("n1", "n2", "n3").isNotEqualTo(t.from());
            // Bounds far above what the lab measures (0.2-0.9 s), below any ARP cache timeout.
            assertThat(t.arpMs()).as(t.how() + ": ARP from a survivor").isLessThan(10_000);
            assertThat(t.tcpMs()).as(t.how() + ": a new connection through the survivor").isLessThan(10_000);
        });
        ClusterDemo.Takeover killed = takeovers.get(1);
        assertThat(killed.doubleRounds()).as("kill -9: ARP rounds with two owners").isZero();
        // kubelet restarted the killed container in its pod rather than the DaemonSet making a new pod.
        Pod speaker = lab.client().pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "speaker").list()
                .getItems().stream().filter(p -> killed.from().equals(p.getSpec().getNodeName())).findFirst()
                .orElseThrow();
        assertThat(speaker.getStatus().getContainerStatuses().get(0).getRestartCount()).isPositive();

        // After its link came back, the node's speaker sees the cluster again: kube-proxy's masquerade
        // state for its API connections went with the link, so its old watches hear nothing. Every
        // Service has its status and owner again, and a new Service is announced, whichever node
        // the election gives it to.
        vips.forEach(demo::awaitSettled);
        lab.kubectl(ClusterDemo.serviceYaml("svc4"), "apply", "-f", "-");
        demo.awaitSettled("svc4", demo.awaitServed("svc4"));
    }

    private static Set<String> speakerPodUids() {
        Set<String> out = new HashSet<>();
        lab.client().pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "speaker").list().getItems()
                .forEach(p -> out.add(p.getMetadata().getUid()));
        return out;
    }
}
