package io.ferrolb.speaker.plan;

import static io.ferrolb.speaker.plan.Fixtures.labels;
import static io.ferrolb.speaker.plan.Fixtures.lb;
import static io.ferrolb.speaker.plan.Fixtures.node;
import static io.ferrolb.speaker.plan.Fixtures.onNodes;
import static io.ferrolb.speaker.plan.Fixtures.prefer;
import static io.ferrolb.speaker.plan.Fixtures.preferring;
import static io.ferrolb.speaker.plan.Fixtures.withCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.api.v1beta1.PreferredNodeSelector;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.election.ElectionVectors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who is a candidate and who wins (docs/compatibility.md §3.2 steps 4 and 6, §3.4; §7 items 16, 18,
 * 25).
 * 10.0.0.100 ranks node-a, node-b, node-c; a node-d would rank before all three.
 */
class CandidateRulesTest {

    static Stream<ElectionVectors.Vector> vectors() {
        return ElectionVectors.all().stream();
    }

    /** Item 16: in a cluster of exactly the vector's nodes, the vector's winner is the one announcer. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void theAnnouncingNodeIsTheVectorsWinner(ElectionVectors.Vector v) {
        // A pool of just the vector's address: the lab's VIPs and some spelling vectors' addresses
        // are outside Scenario.ADDRESSES. The Service's status keeps the vector's spelling.
        IpAddress ip = IpAddress.parse(v.firstIngressIP());
        Scenario cluster = Scenario.empty().pool("default", ip + "-" + ip);
        cluster.nodes(v.candidates().toArray(String[]::new));
        if (v.preferredScores() == null) {
            cluster.ad("l2", L2AdvertisementSpec.all());
        } else {
            // One preference per scored node, each with exactly that node's score.
            cluster.ad("l2", preferring(v.scores().entrySet().stream()
                    .map(e -> prefer(e.getValue(), labels("kubernetes.io/hostname", e.getKey())))
                    .toArray(PreferredNodeSelector[]::new)));
        }
        cluster.served(lb("svc", v.firstIngressIP()));
        assertThat(cluster.announcers("svc")).containsExactly(v.winner());
        cluster.everyNode("svc").forEach((node, decision) -> {
            if (!node.equals(v.winner())) {
                assertThat(decision).isInstanceOfSatisfying(NotAnnounced.NotOwner.class,
                        n -> assertThat(n.winner()).isEqualTo(v.winner()));
            }
        });
    }

    static Stream<Arguments> eligibility() {
        return Stream.of(
                Arguments.of("everybody eligible", change(), false, Set.of("node-a")),
                Arguments.of("exclusion label, empty value", change(node("node-a", NodeView.EXCLUDE_LABEL, "")), false,
                        Set.of("node-b")),
                Arguments.of("exclusion label, any value", change(node("node-a", NodeView.EXCLUDE_LABEL, "false")),
                        false, Set.of("node-b")),
                Arguments.of("exclusion label ignored", change(node("node-a", NodeView.EXCLUDE_LABEL, "true")), true,
                        Set.of("node-a")),
                Arguments.of("NetworkUnavailable=True",
                        change(withCondition(node("node-a"), "NetworkUnavailable", "True")), false, Set.of("node-b")),
                Arguments.of("NetworkUnavailable=True despite ignore flag",
                        change(withCondition(node("node-a"), "NetworkUnavailable", "True")), true, Set.of("node-b")),
                Arguments.of("NetworkUnavailable=False",
                        change(withCondition(node("node-a"), "NetworkUnavailable", "False")), false, Set.of("node-a")),
                Arguments.of("NetworkUnavailable=Unknown",
                        change(withCondition(node("node-a"), "NetworkUnavailable", "Unknown")), false, Set.of("node-a")),
                Arguments.of("Ready=False does not matter",
                        change(withCondition(node("node-a"), "Ready", "False")), false, Set.of("node-a")),
                Arguments.of("first NetworkUnavailable condition decides", change(withCondition(withCondition(
                        node("node-a"), "NetworkUnavailable", "False"), "NetworkUnavailable", "True")), false,
                        Set.of("node-a")),
                Arguments.of("two excluded", change(node("node-a", NodeView.EXCLUDE_LABEL, ""),
                        withCondition(node("node-b"), "NetworkUnavailable", "True")), false, Set.of("node-c")),
                Arguments.of("all excluded", change(node("node-a", NodeView.EXCLUDE_LABEL, ""),
                        node("node-b", NodeView.EXCLUDE_LABEL, ""), node("node-c", NodeView.EXCLUDE_LABEL, "")),
                        false, Set.of()));
    }

    /** Item 18: excluded and NetworkUnavailable nodes never announce, unless --ignore-exclude-lb for the label. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("eligibility")
    void excludedAndUnavailableNodesAreNoCandidates(String name, UnaryOperator<Scenario> change, boolean ignoreExcludeLb,
                                                    Set<String> announcers) {
        Scenario cluster = change.apply(Scenario.standard()).served(lb("svc", "10.0.0.100"))
                .options(new PlanOptions(Optional.empty(), ignoreExcludeLb));
        assertThat(cluster.announcers("svc")).isEqualTo(announcers);
    }

    @Test
    void anExcludedNodeKnowsWhoWonAndKeepsNoRulesStandingBy() {
        Scenario cluster = Scenario.standard().node(node("node-a", NodeView.EXCLUDE_LABEL, ""))
                .served(lb("svc", "10.0.0.100"));
        assertThat(cluster.decision("svc")).isEqualTo(new NotAnnounced.NotOwner(new ServiceKey("default", "svc"),
                List.of(IpAddress.parse("10.0.0.100")), "node-b", false));
    }

    /**
     * A loser that would announce the Service if the winner went away keeps its handoff rules
     * standing by; one that cannot (no local endpoint under Local policy, excluded) keeps none.
     */
    static Stream<Arguments> standingBy() {
        return Stream.of(
                Arguments.of("a loser under Cluster policy", Scenario.standard().served(lb("svc", "10.0.0.100")),
                        Map.of("node-b", true, "node-c", true)),
                Arguments.of("Local policy, endpoints on node-a and node-c",
                        Scenario.standard().service(Fixtures.local("svc", "10.0.0.100"))
                                .slice(Fixtures.slice("svc", Fixtures.ready("node-a"), Fixtures.ready("node-c"))),
                        Map.of("node-b", false, "node-c", true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("standingBy")
    void theLosersThatCouldTakeOverAreCandidates(String name, Scenario cluster, Map<String, Boolean> candidate) {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        cluster.everyNode("svc").forEach((node, decision) -> {
            if (decision instanceof NotAnnounced.NotOwner loser) {
                assertThat(loser.winner()).isEqualTo("node-a");
                seen.put(node, loser.candidate());
            }
        });
        assertThat(seen).isEqualTo(candidate);
    }

    static Stream<Arguments> nodeSelectors() {
        return Stream.of(
                Arguments.of("all nodes", Map.of("l2", L2AdvertisementSpec.all()), Set.of("node-a")),
                Arguments.of("only zone c", Map.of("l2", onNodes(labels("zone", "c"))), Set.of("node-c")),
                Arguments.of("zone b or c in one ad", Map.of("l2", onNodes(labels("zone", "b"), labels("zone", "c"))),
                        Set.of("node-b")),
                Arguments.of("zone b and zone c in two ads",
                        Map.of("b", onNodes(labels("zone", "b")), "c", onNodes(labels("zone", "c"))), Set.of("node-b")),
                Arguments.of("selector matching nobody", Map.of("l2", onNodes(labels("zone", "x"))), Set.of()));
    }

    /** Item 18: nodes outside every advertisement's nodeSelectors never announce. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeSelectors")
    void onlyNodesSelectedByAnApplicableAdvertisementAreCandidates(String name, Map<String, L2AdvertisementSpec> ads,
                                                                   Set<String> announcers) {
        Scenario cluster = zoned().onlyAds(ads).served(lb("svc", "10.0.0.100"));
        assertThat(cluster.announcers("svc")).isEqualTo(announcers);
    }

    @Test
    void aNodeNoAdvertisementSelectsSaysSo() {
        Scenario cluster = zoned().onlyAds(Map.of("l2", onNodes(labels("zone", "c")))).served(lb("svc", "10.0.0.100"));
        assertThat(cluster.decision("svc")).isEqualTo(new NotAnnounced.Skipped(new ServiceKey("default", "svc"),
                Reason.NO_MATCHING_ADVERTISEMENT,
                "no L2Advertisement of pool default applying to this Service selects node node-a"));
    }

    static Stream<Arguments> membership() {
        return Stream.of(
                Arguments.of("all alive", LiveSpeakers.of(List.of("node-a", "node-b", "node-c")), "node-b",
                        "node-a"),
                Arguments.of("winner dead", LiveSpeakers.of(List.of("node-b", "node-c")), "node-b", "node-b"),
                Arguments.of("winner dead, as seen by the dead one", LiveSpeakers.of(List.of("node-b", "node-c")),
                        "node-a", "node-b"),
                Arguments.of("live member without a Node object", LiveSpeakers.of(List.of("node-a", "node-b", "node-d")),
                        "node-b", "node-a"),
                Arguments.of("disabled: every Node, dead or not", LiveSpeakers.everyNode(), "node-b", "node-a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("membership")
    void startsFromTheLiveMembersOrEveryNodeWhenMembershipIsDisabled(String name, LiveSpeakers view, String me,
                                                                     String winner) {
        Scenario cluster = Scenario.standard().liveSpeakers(view).served(lb("svc", "10.0.0.100")).as(me);
        Decision decision = cluster.decision("svc");
        if (me.equals(winner)) {
            assertThat(decision).isInstanceOf(Announcement.class);
        } else {
            assertThat(decision).isInstanceOfSatisfying(NotAnnounced.NotOwner.class,
                    n -> assertThat(n.winner()).isEqualTo(winner));
        }
    }

    @Test
    void membershipDisabledStillDropsUnavailableAndExcludedNodes() {
        Scenario cluster = Scenario.standard().liveSpeakers(LiveSpeakers.everyNode())
                .node(withCondition(node("node-a"), "NetworkUnavailable", "True"))
                .node(node("node-b", NodeView.EXCLUDE_LABEL, ""))
                .served(lb("svc", "10.0.0.100"));
        assertThat(cluster.announcers("svc")).containsExactly("node-c");
    }

    @Test
    void nodeDWouldWinIfItWereKnown() {
        Scenario cluster = Scenario.standard().nodes("node-d").served(lb("svc", "10.0.0.100"));
        assertThat(cluster.announcers("svc")).containsExactly("node-d");
    }

    @Test
    void thisNodeWithoutANodeObjectMatchesNoAdvertisement() {
        Scenario cluster = Scenario.standard().liveSpeakers(LiveSpeakers.of(List.of("node-a", "node-b", "node-c", "node-x")))
                .served(lb("svc", "10.0.0.100")).as("node-x");
        assertThat(ServiceChecksTest.reason(cluster, "svc")).isEqualTo(Reason.NO_MATCHING_ADVERTISEMENT);
    }

    @Test
    void anEmptyViewHasNoCandidates() {
        Scenario cluster = Scenario.standard().liveSpeakers(LiveSpeakers.of(List.of())).served(lb("svc", "10.0.0.100"));
        assertThat(cluster.announcers("svc")).isEmpty();
        assertThat(ServiceChecksTest.reason(cluster, "svc")).isEqualTo(Reason.NO_AVAILABLE_NODES);
    }

    /** node-a, node-b, node-c labelled zone=a, zone=b, zone=c. */
    static Scenario zoned() {
        return Scenario.standard().node(node("node-a", "zone", "a")).node(node("node-b", "zone", "b"))
                .node(node("node-c", "zone", "c"));
    }

    private static UnaryOperator<Scenario> change(Node... replacements) {
        Map<String, Node> byName = new LinkedHashMap<>();
        for (Node n : replacements) {
            byName.put(n.getMetadata().getName(), n);
        }
        return cluster -> {
            byName.values().forEach(cluster::node);
            return cluster;
        };
    }
}
