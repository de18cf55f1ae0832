package io.ferrolb.speaker.plan;

import static io.ferrolb.speaker.plan.Fixtures.endpoint;
import static io.ferrolb.speaker.plan.Fixtures.lb;
import static io.ferrolb.speaker.plan.Fixtures.local;
import static io.ferrolb.speaker.plan.Fixtures.notReady;
import static io.ferrolb.speaker.plan.Fixtures.ready;
import static io.ferrolb.speaker.plan.Fixtures.slice;
import static io.ferrolb.speaker.plan.Fixtures.sliceIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Endpoints decide whether anybody announces and, for ETP=Local, who may (docs/compatibility.md
 * §3.2 steps 1 and 5, §7 item 17). 10.0.0.100 ranks node-a, node-b, node-c.
 */
class EndpointRulesTest {

    static Stream<Arguments> conditions() {
        return Stream.of(
                Arguments.of(null, null, null, true),
                Arguments.of(true, null, null, true),
                Arguments.of(true, false, null, true),
                Arguments.of(null, false, null, true),
                Arguments.of(false, true, true, true),
                Arguments.of(false, true, null, true),
                Arguments.of(false, false, null, false),
                Arguments.of(false, null, null, false),
                Arguments.of(false, false, true, false));
    }

    @ParameterizedTest(name = "ready={0} serving={1} terminating={2} -> can serve {3}")
    @MethodSource("conditions")
    void anEndpointCanServeIfReadyIsUnsetOrTrueOrServingIsTrue(Boolean ready, Boolean serving, Boolean terminating,
                                                                boolean expected) {
        assertThat(EndpointIndex.canServe(new EndpointConditions(ready, serving, terminating))).isEqualTo(expected);
        Scenario cluster = Scenario.standard().service(lb("svc", "10.0.0.100"))
                .slice(slice("svc", endpoint("node-c", ready, serving)));
        assertThat(cluster.announcers("svc")).isEqualTo(expected ? Set.of("node-a") : Set.of());
    }

    @Test
    void anEndpointWithoutConditionsCanServe() {
        assertThat(EndpointIndex.canServe(null)).isTrue();
        Endpoint bare = new EndpointBuilder()
                .withAddresses("10.244.0.1").withNodeName("node-c").build();
        assertThat(Scenario.standard().service(lb("svc", "10.0.0.100")).slice(slice("svc", bare)).announcers("svc"))
                .containsExactly("node-a");
    }

    static Stream<Arguments> nothingServes() {
        return Stream.of(
                Arguments.of("no slice", List.of()),
                Arguments.of("an empty slice", List.of(slice("svc"))),
                Arguments.of("a slice without endpoints", List.of(new EndpointSliceBuilder(slice("svc"))
                        .withEndpoints((List<Endpoint>) null).build())),
                Arguments.of("only unready endpoints", List.of(slice("svc", notReady("node-a")),
                        slice("svc", notReady("node-b"), notReady("node-c")))),
                Arguments.of("ready endpoints of another Service", List.of(slice("other", ready("node-a")))),
                Arguments.of("same name, other namespace", List.of(sliceIn("elsewhere", "svc", ready("node-a")))),
                Arguments.of("slice without the service-name label", List.of(new EndpointSliceBuilder(
                        slice("svc", ready("node-a"))).editMetadata().withLabels(null).endMetadata().build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nothingServes")
    void withoutAServingEndpointNobodyAnnouncesEvenForEtpCluster(String name, List<EndpointSlice> slices) {
        for (Service service : List.of(lb("svc", "10.0.0.100"), local("svc", "10.0.0.100"))) {
            Scenario cluster = Scenario.standard().service(service);
            slices.forEach(cluster::slice);
            assertThat(cluster.announcers("svc")).isEmpty();
            assertThat(cluster.everyNode("svc").values()).allSatisfy(d -> assertThat(d)
                    .isEqualTo(new NotAnnounced.Skipped(d.service(), Reason.NO_SERVING_ENDPOINTS,
                            "no endpoint is ready or serving")));
        }
    }

    @Test
    void oneServingEndpointInAnySliceIsEnough() {
        Scenario cluster = Scenario.standard().service(lb("svc", "10.0.0.100"))
                .slice(slice("svc", notReady("node-a"), notReady("node-b")))
                .slice(slice("svc", notReady("node-c"), endpoint(null, true, true)));
        assertThat(cluster.announcers("svc")).containsExactly("node-a");
    }

    @Test
    void etpClusterIgnoresWhereTheEndpointsRun() {
        Scenario cluster = Scenario.standard().service(lb("svc", "10.0.0.100")).slice(slice("svc", ready("node-c")));
        assertThat(cluster.announcers("svc")).containsExactly("node-a");
    }

    static Stream<Arguments> localCases() {
        return Stream.of(
                Arguments.of("endpoints everywhere", List.of(ready("node-a"), ready("node-b"), ready("node-c")),
                        "node-a"),
                Arguments.of("not on the hash winner", List.of(ready("node-b"), ready("node-c")), "node-b"),
                Arguments.of("only on the last", List.of(ready("node-c")), "node-c"),
                Arguments.of("unready on the hash winner", List.of(notReady("node-a"), ready("node-c")), "node-c"),
                Arguments.of("terminating but serving", List.of(endpoint("node-b", false, true), ready("node-c")),
                        "node-b"),
                Arguments.of("on a node without speaker", List.of(ready("node-z"), ready("node-c")), "node-c"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("localCases")
    void etpLocalElectsOnlyAmongNodesHostingAServingEndpoint(String name, List<Endpoint> endpoints, String announcer) {
        Scenario cluster = Scenario.standard().service(local("svc", "10.0.0.100"))
                .slice(slice("svc", endpoints.toArray(Endpoint[]::new)));
        assertThat(cluster.announcers("svc")).containsExactly(announcer);
        cluster.everyNode("svc").forEach((node, decision) -> {
            if (!node.equals(announcer)) {
                assertThat(decision).isInstanceOfSatisfying(NotAnnounced.NotOwner.class,
                        n -> assertThat(n.winner()).isEqualTo(announcer));
            }
        });
    }

    static Stream<Arguments> localWithoutCandidates() {
        return Stream.of(
                Arguments.of("serving endpoint without a node name", List.of(endpoint(null, true, true))),
                Arguments.of("only on an excluded node", List.of(ready("node-b"))),
                Arguments.of("only on unknown nodes", List.of(ready("node-y"), ready("node-z"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("localWithoutCandidates")
    void etpLocalWithServingEndpointsOnNoCandidateIsNotAnnounced(String name, List<Endpoint> endpoints) {
        Scenario cluster = Scenario.standard()
                .node(Fixtures.node("node-b", NodeView.EXCLUDE_LABEL, "true"))
                .service(local("svc", "10.0.0.100")).slice(slice("svc", endpoints.toArray(Endpoint[]::new)));
        assertThat(cluster.announcers("svc")).isEmpty();
        assertThat(ServiceChecksTest.reason(cluster, "svc")).isEqualTo(Reason.NO_AVAILABLE_NODES);
    }
}
