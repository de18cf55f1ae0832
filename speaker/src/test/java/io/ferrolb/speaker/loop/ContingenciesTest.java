package io.ferrolb.speaker.loop;

import static io.ferrolb.speaker.plan.Fixtures.lb;
import static io.ferrolb.speaker.plan.Fixtures.local;
import static io.ferrolb.speaker.plan.Fixtures.node;
import static io.ferrolb.speaker.plan.Fixtures.ready;
import static io.ferrolb.speaker.plan.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.config.Config;
import io.ferrolb.speaker.plan.Announcement;
import io.ferrolb.speaker.plan.LiveSpeakers;
import io.ferrolb.speaker.plan.Plan;
import io.ferrolb.speaker.plan.Planner;
import io.ferrolb.speaker.plan.ServiceKey;
import io.ferrolb.speaker.plan.Snapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A plan made ahead for a peer's departure is exactly what planning the new view adds. */
class ContingenciesTest {

    private static final List<String> NODES = List.of("node-a", "node-b", "node-c", "node-d");

    private static Snapshot snapshot(String me, Set<String> alive, List<Service> services, List<EndpointSlice> slices)
            throws Exception {
        Config config = Config.from(List.of(new IPAddressPool("metallb-system", "p", IPAddressPoolSpec.of(
                "10.0.0.0/24"))), List.of(new L2Advertisement("metallb-system", "all", L2AdvertisementSpec.all())));
        return Snapshot.of(config, services, slices, NODES.stream().map(n -> node(n)).toList(),
                LiveSpeakers.of(alive), me, Set.of("eth0"));
    }

    private static Set<ServiceKey> announced(Plan plan) {
        return plan.announcements().stream().map(Announcement::service).collect(Collectors.toCollection(TreeSet::new));
    }

    static Stream<Arguments> clusters() {
        List<Service> cluster = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String name = "svc" + i;
            // Every fourth Service is Local with endpoints on node-a and node-c only.
            cluster.add(i % 4 == 0 ? local(name, "10.0.0." + (10 + i)) : lb(name, "10.0.0." + (10 + i)));
            slices.add(i % 4 == 0 ? slice(name, ready("node-a"), ready("node-c"))
                    : slice(name, ready("node-a"), ready("node-b"), ready("node-c"), ready("node-d")));
        }
        return NODES.stream().flatMap(me -> Stream.of(
                Arguments.of(me, Set.copyOf(NODES), cluster, slices),
                Arguments.of(me, Set.of("node-a", "node-b", "node-c"), cluster, slices)))
                .filter(a -> ((Set<?>) a.get()[1]).contains(a.get()[0]));
    }

    @ParameterizedTest(name = "{0} of {1}")
    @MethodSource("clusters")
    void eachPeersDepartureAddsWhatTheFullPlanOfTheSmallerViewAdds(String me, Set<String> alive,
            List<Service> services, List<EndpointSlice> slices) throws Exception {
        Snapshot now = snapshot(me, alive, services, slices);
        Plan plan = Planner.plan(now);
        Map<LiveSpeakers, Contingencies.Contingency> ahead = Contingencies.plan(now, plan);

        int checked = 0;
        for (String peer : alive) {
            if (peer.equals(me)) {
                continue;
            }
            Set<String> without = new HashSet<>(alive);
            without.remove(peer);
            Set<ServiceKey> gained = announced(Planner.plan(snapshot(me, without, services, slices)));
            gained.removeAll(announced(plan));
            Contingencies.Contingency c = ahead.get(LiveSpeakers.of(without));
            Set<ServiceKey> claims = c == null ? Set.of() : c.claims().stream().map(Announcement::service)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(claims).as("%s without %s", me, peer).isEqualTo(gained);
            checked += gained.size();
        }
        assertThat(checked).as("some departure moves something here").isPositive();
    }
}
