package io.ferrolb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.e2e.lab.Await;
import io.ferrolb.e2e.lab.Backends;
import io.ferrolb.e2e.lab.ClusterObjects;
import io.ferrolb.e2e.lab.Implementation;
import io.ferrolb.e2e.lab.Lab;
import io.ferrolb.e2e.lab.LabClient;
import io.ferrolb.e2e.lab.Seed;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The differential speaker check: the same nodes, Services, endpoints and advertisements on a lab of
 * MetalLB v0.16.1's own speakers and on a lab of ferrolb's, and the same announcing node for every
 * VIP, as the client's arping and the ServiceL2Status show it: plain Services, ETP=Local with
 * endpoints on some nodes, a shared IP, an advertisement limited by a node selector, and then a
 * node labelled {@code node.kubernetes.io/exclude-from-external-load-balancers}.
 */
@ExtendWith(LabExtension.class)
@LabExtension.OnMetalLb
class SpeakerDifferentialIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String EXCLUDE = "node.kubernetes.io/exclude-from-external-load-balancers";

    /** Service name → its pinned address, annotations and extra spec. */
    private record Svc(String name, String ip, Map<String, String> annotations, String extraSpec, int port) {
    }

    private static final List<Svc> SERVICES = List.of(
            plain("d1", "198.18.0.230"), plain("d2", "198.18.0.231"), plain("d3", "198.18.0.232"),
            plain("d4", "198.18.0.233"), plain("d5", "198.18.0.234"), plain("d6", "198.18.0.235"),
            plain("d7", "198.18.0.239"), plain("d8", "198.18.0.240"), plain("d9", "198.18.0.241"),
            plain("d10", "198.18.0.242"), plain("d11", "198.18.0.243"), plain("d12", "198.18.0.244"),
            new Svc("dl1", "198.18.0.236", Map.of(Backends.BACKEND_NODES, "n1"), "  externalTrafficPolicy: Local\n", 80),
            new Svc("dl2", "198.18.0.237", Map.of(Backends.BACKEND_NODES, "n2,n3"), "  externalTrafficPolicy: Local\n",
                    80),
            new Svc("dsa", "198.18.0.238", Map.of("metallb.io/allow-shared-ip", "k"), "", 80),
            new Svc("dsb", "198.18.0.238", Map.of("metallb.io/allow-shared-ip", "k"), "", 81),
            new Svc("dsel", "198.18.0.150", Map.of(), "", 80));

    private static final String SELECTED = """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata:
              name: diff-sel
              namespace: metallb-system
            spec:
              addresses:
              - 198.18.0.150-198.18.0.159
              autoAssign: false
            ---
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata:
              name: diff-sel-l2
              namespace: metallb-system
            spec:
              ipAddressPools:
              - diff-sel
              nodeSelectors:
              - matchLabels:
                  kubernetes.io/hostname: n2
            ---
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata:
              name: lab-l2
              namespace: metallb-system
            spec:
              ipAddressPools:
              - lab-pool
            """;

    private final Lab metallbLab;

    SpeakerDifferentialIT(Lab lab) {
        this.metallbLab = lab;
    }

    private static Svc plain(String name, String ip) {
        return new Svc(name, ip, Map.of(), "", 80);
    }

    @Test
    void metallbAndFerrolbChooseTheSameAnnouncerForEveryVip() {
        assertThat(metallbLab.settings().impl()).isEqualTo(Implementation.METALLB);
        List<Map<String, String>> metallb = phases(metallbLab);
        Lab ferrolbLab = LabExtension.switchTo(Implementation.FERROLB);
        List<Map<String, String>> ferrolb = phases(ferrolbLab);
        System.out.printf("[speaker differential] MetalLB %s%n[speaker differential] ferrolb %s%n", metallb, ferrolb);
        assertThat(ferrolb.get(0)).as("all nodes eligible").isEqualTo(metallb.get(0));
        assertThat(ferrolb.get(1)).as("n3 labelled " + EXCLUDE).isEqualTo(metallb.get(1));
    }

    /** The announcer of every Service with all nodes, then with n3 excluded; the lab restored after. */
    private List<Map<String, String>> phases(Lab lab) {
        Seed seed = new Seed(lab);
        LabClient client = new LabClient(lab.settings().dir(), lab.pids());
        lab.plane().kubectlWithInput(SELECTED, "apply", "-f", "-").requireSuccess();
        try {
            for (Svc s : SERVICES) {
                Map<String, String> annotations = new LinkedHashMap<>(s.annotations());
                annotations.put("metallb.io/loadBalancerIPs", s.ip());
                seed.createService(s.name(), annotations, s.extraSpec(), s.port());
            }
            Map<String, String> all = owners(lab, seed, client);
            assertThat(all.get("dsel")).as("the node selector of diff-sel-l2").isEqualTo("n2");
            assertThat(all.get("dl1")).as("ETP=Local with endpoints on n1 only").isEqualTo("n1");
            assertThat(all.get("dsa")).as("one announcer for a shared IP").isEqualTo(all.get("dsb"));

            lab.client().nodes().withName("n3").edit(n -> {
                n.getMetadata().getLabels().put(EXCLUDE, "");
                return n;
            });
            try {
                Await.until("no VIP on n3 once it is excluded", Duration.ofSeconds(20), () -> SERVICES.stream()
                        .noneMatch(s -> seed.statusNode(s.name()).map("n3"::equals).orElse(true)));
            } catch (IllegalStateException stillOnN3) {
                // An implementation that ignores the label is what the comparison below finds.
            }
            Map<String, String> excluded = owners(lab, seed, client);
            return List.of(all, excluded);
        } finally {
            lab.client().nodes().withName("n3").edit(n -> {
                n.getMetadata().getLabels().remove(EXCLUDE);
                return n;
            });
            SERVICES.forEach(s -> seed.deleteService(s.name()));
            lab.plane().kubectl("delete", "-n", ClusterObjects.NAMESPACE, "l2advertisement", "diff-sel-l2");
            lab.plane().kubectl("delete", "-n", ClusterObjects.NAMESPACE, "ipaddresspool", "diff-sel");
            seed.applyPool();
        }
    }

    /** Per Service, the one node announcing it: the ServiceL2Status's, and the MAC the client's arping gets. */
    private static Map<String, String> owners(Lab lab, Seed seed, LabClient client) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (Svc s : SERVICES) {
            String node = seed.awaitAnnounced(s.name(), WAIT);
            String mac = lab.node(node).mac();
            Await.until(s.name() + " answered by " + node + " alone", WAIT,
                    () -> client.arping(s.ip()).equals(List.of(mac)));
            owners.put(s.name(), node);
        }
        return owners;
    }
}
