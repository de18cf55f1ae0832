package io.ferrolb.speaker.plan;

import static io.ferrolb.speaker.plan.Fixtures.annotated;
import static io.ferrolb.speaker.plan.Fixtures.lb;
import static io.ferrolb.speaker.plan.Fixtures.local;
import static io.ferrolb.speaker.plan.Fixtures.node;
import static io.ferrolb.speaker.plan.Fixtures.ready;
import static io.ferrolb.speaker.plan.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The plan as a whole: one decision per Service, deterministic, cheap, agreed by every node. */
class PlanTest {

    static Stream<Arguments> firstIp() {
        return Stream.of(
                Arguments.of(List.of("10.0.0.100", "fc00:f853:ccd:e799::1"), "node-a"),
                Arguments.of(List.of("fc00:f853:ccd:e799::1", "10.0.0.100"), "node-b"),
                Arguments.of(List.of("192.168.10.1", "fc00:f853:ccd:e799::1"), "node-c"));
    }

    /** The first ingress IP elects; the winner announces every IP (docs/compatibility.md §3.2 step 6). */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("firstIp")
    void theFirstIngressIpElectsAndTheWinnerAnnouncesAll(List<String> ips, String winner) {
        Scenario cluster = Scenario.standard().served(lb("svc", ips.toArray(String[]::new)));
        assertThat(cluster.announcers("svc")).containsExactly(winner);
        Announcement a = (Announcement) cluster.as(winner).decision("svc");
        assertThat(a.ips()).map(IpAddress::toString).containsExactlyElementsOf(ips);
    }

    @Test
    void servicesSharingAnIpLandOnTheSameNode() {
        Scenario cluster = Scenario.standard();
        for (String name : List.of("dns-tcp", "dns-udp")) {
            cluster.served(annotated(lb(name, "192.168.10.1"), "metallb.io/allow-shared-ip", "dns"));
        }
        assertThat(cluster.announcers("dns-tcp")).containsExactly("node-c").isEqualTo(cluster.announcers("dns-udp"));
    }

    @Test
    void everyServiceGetsOneDecisionAndTheHelpersAgree() {
        Scenario cluster = Scenario.standard()
                .served(lb("mine", "10.0.0.100"))
                .served(lb("theirs", "192.168.10.1"))
                .service(lb("dark", "10.0.0.101"))
                .service(new ServiceBuilder(lb("cluster-ip")).editSpec()
                        .withType("ClusterIP").endSpec().build());
        Plan plan = cluster.plan();
        assertThat(plan.node()).isEqualTo("node-a");
        assertThat(plan.decisions().keySet()).map(ServiceKey::toString)
                .containsExactly("default/cluster-ip", "default/dark", "default/mine", "default/theirs");
        assertThat(plan.announcements()).map(Announcement::service).containsExactly(new ServiceKey("default", "mine"));
        assertThat(plan.announcedIps()).isEqualTo(Map.of(new ServiceKey("default", "mine"),
                List.of(IpAddress.parse("10.0.0.100"))));
        assertThat(plan.decision(ServiceKey.parse("default/theirs"))).get()
                .isInstanceOfSatisfying(NotAnnounced.NotOwner.class, n -> assertThat(n.winner()).isEqualTo("node-c"));
        assertThat(plan.decision(ServiceKey.parse("default/absent"))).isEmpty();
        assertThat(Plan.of(cluster.snapshot())).isEqualTo(plan);
    }

    @Test
    void theSameInputsInAnyOrderGiveTheSamePlan() {
        Big big = Big.of(60, 12, 7);
        Plan expected = Planner.plan(big.snapshot("node-3"));
        Random random = new Random(42);
        for (int i = 0; i < 5; i++) {
            List<Service> services = new ArrayList<>(big.services);
            List<EndpointSlice> slices = new ArrayList<>(big.slices);
            List<Node> nodes = new ArrayList<>(big.nodes);
            Collections.shuffle(services, random);
            Collections.shuffle(slices, random);
            Collections.shuffle(nodes, random);
            Snapshot shuffled = new Snapshot(big.cluster.config(), services, slices, nodes,
                    LiveSpeakers.of(big.names), "node-3", Set.of("eth0"), PlanOptions.defaults());
            assertThat(Planner.plan(shuffled)).isEqualTo(expected);
        }
    }

    /** With one shared view, every Service has exactly one announcer and the losers name it. */
    @Test
    void allNodesAgreeOnOneAnnouncerPerService() {
        Big big = Big.of(200, 8, 3);
        Map<ServiceKey, List<String>> announcers = new HashMap<>();
        Map<ServiceKey, Set<String>> named = new HashMap<>();
        for (String me : big.names) {
            for (Decision d : Planner.plan(big.snapshot(me)).decisions().values()) {
                if (d instanceof Announcement) {
                    announcers.computeIfAbsent(d.service(), k -> new ArrayList<>()).add(me);
                } else if (d instanceof NotAnnounced.NotOwner n) {
                    named.computeIfAbsent(d.service(), k -> new TreeSet<>()).add(n.winner());
                }
            }
        }
        assertThat(announcers).hasSize(200);
        announcers.forEach((service, nodes) -> {
            assertThat(nodes).as(service.toString()).hasSize(1);
            assertThat(named.get(service)).as(service.toString()).containsExactly(nodes.get(0));
        });
        // The hash spreads the Services over the nodes.
        assertThat(announcers.values().stream().map(l -> l.get(0)).distinct().count()).isEqualTo(8);
    }

    /**
     * 1,000 Services, 100 nodes, 2,000 slices: a decision for each. How long planning takes is the
     * scale benchmark's to say (the speakers' {@code planMs}, docs/benchmarks.md), not a unit test's:
     * a timed assertion here only measured how busy the machine running it was.
     */
    @Test
    void plansAThousandServicesOnAHundredNodes() {
        Big big = Big.of(1000, 100, 2);
        Plan plan = Planner.plan(big.snapshot("node-0"));
        assertThat(plan.decisions()).hasSize(1000);
        assertThat(plan.announcements()).isNotEmpty();
    }

    @Test
    void theSnapshotCopiesItsCollections() {
        List<Service> services = new ArrayList<>(List.of(lb("svc", "10.0.0.100")));
        Snapshot snapshot = Snapshot.of(Scenario.standard().config(), services, List.of(), List.of(),
                LiveSpeakers.everyNode(), "node-a", List.of("eth0"));
        services.clear();
        assertThat(snapshot.services()).hasSize(1);
        assertThat(snapshot.options()).isEqualTo(PlanOptions.defaults());
        PlanOptions lbClass = new PlanOptions(Optional.of("x"), true);
        assertThat(snapshot.withOptions(lbClass).options()).isEqualTo(lbClass);
        assertThat(new PlanOptions(Optional.of(""), false)).isEqualTo(PlanOptions.defaults());
    }

    @Test
    void valuesCheckTheirInvariants() {
        ServiceKey key = ServiceKey.parse("ns/name");
        assertThat(key).isEqualTo(new ServiceKey("ns", "name")).hasToString("ns/name");
        assertThat(new ServiceKey("a", "z")).isLessThan(new ServiceKey("b", "a"));
        assertThatThrownBy(() -> ServiceKey.parse("name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceKey.parse("a/b/c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NotAnnounced.Skipped(key, Reason.NOT_OWNER, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Announcement(key, List.of(), "p", Interfaces.all(), "n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Interfaces.only(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(Interfaces.only(List.of("eth1", "eth0")).includes("eth0")).isTrue();
        assertThat(Interfaces.only(List.of("eth1")).includes("eth0")).isFalse();
        assertThat(Interfaces.all().includes("anything")).isTrue();
        assertThat(Reason.NO_IP_ALLOCATED).hasToString("noIPAllocated");
        assertThat(Reason.SHARED_IP_WITH_SERVICE_SELECTOR.text()).isEqualTo("sharedIPWithServiceSelector");
    }

    /** A synthetic cluster: nodes node-0..n-1, Services in 10.0.0.0/16 with ready endpoints spread out. */
    private record Big(Scenario cluster, List<String> names, List<Service> services, List<EndpointSlice> slices,
                       List<Node> nodes) {

        static Big of(int serviceCount, int nodeCount, int slicesPerService) {
            Scenario cluster = Scenario.empty().pool("big", "10.0.0.0/16")
                    .ad("l2", L2AdvertisementSpec.all());
            List<String> names = IntStream.range(0, nodeCount).mapToObj(i -> "node-" + i).toList();
            List<Node> nodes = names.stream().map(n -> node(n, "zone", "z" + (n.hashCode() & 3))).toList();
            List<Service> services = new ArrayList<>();
            List<EndpointSlice> slices = new ArrayList<>();
            for (int i = 0; i < serviceCount; i++) {
                String name = "svc-" + i;
                String ip = "10.0." + (i / 256) + "." + (i % 256);
                services.add(i % 2 == 0 ? lb(name, ip) : local(name, ip));
                for (int s = 0; s < slicesPerService; s++) {
                    slices.add(slice(name, ready(names.get((i + s) % nodeCount)),
                            ready(names.get((i + s + 1) % nodeCount))));
                }
            }
            return new Big(cluster, names, services, slices, nodes);
        }

        Snapshot snapshot(String me) {
            return new Snapshot(cluster.config(), services, slices, nodes, LiveSpeakers.of(names), me, Set.of("eth0"),
                    PlanOptions.defaults());
        }
    }
}
