package io.ferrolb.speaker.loop;

import static io.ferrolb.speaker.plan.Fixtures.labels;
import static io.ferrolb.speaker.plan.Fixtures.lbBuilder;
import static io.ferrolb.speaker.plan.Fixtures.node;
import static io.ferrolb.speaker.plan.Fixtures.onInterfaces;
import static io.ferrolb.speaker.plan.Fixtures.onNodes;
import static io.ferrolb.speaker.plan.Fixtures.ready;
import static io.ferrolb.speaker.plan.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.plan.LiveSpeakers;
import io.ferrolb.speaker.plan.PlanOptions;
import io.ferrolb.speaker.plan.ServiceKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop against recording fakes (docs/compatibility.md §7 items 16, 22, 23 from one node's side; stale
 * configuration; join gate). Election order for 10.0.0.100 over node-a, node-b, node-c is
 * node-a, node-b, node-c (the election vectors).
 */
class SpeakerLoopTest {

    private final Fakes.Inputs inputs = new Fakes.Inputs();
    private final Fakes.RecordingWire wire = new Fakes.RecordingWire();
    private final Fakes.RecordingHandoff handoff = new Fakes.RecordingHandoff();
    private final Fakes.RecordingStatuses statuses = new Fakes.RecordingStatuses();
    private final Fakes.RecordingEvents events = new Fakes.RecordingEvents();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static Service svc1(String ip) {
        return lbBuilder("svc1", ip).editSpec().addNewPort().withProtocol("TCP").withPort(80).withNodePort(31080).endPort()
                .endSpec().build();
    }

    @BeforeEach
    void cluster() {
        inputs.nodes = List.of(node("node-a"), node("node-b"), node("node-c"));
        inputs.pools = List.of(new IPAddressPool("metallb-system", "lab", IPAddressPoolSpec.of("10.0.0.0/24")));
        inputs.ads = List.of(new L2Advertisement("metallb-system", "all", L2AdvertisementSpec.all()));
        inputs.services = List.of(svc1("10.0.0.100"));
        inputs.slices = List.of(slice("svc1", ready("node-b")));
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-a", "node-b", "node-c"));
    }

    private SpeakerLoop loop(String node) {
        return new SpeakerLoop(node, inputs, wire, handoff, statuses, events, new SpeakerMetrics(registry),
                PlanOptions.defaults());
    }

    private double announcedGauge(String node) {
        var gauge = registry.find("metallb_speaker_announced").tags("service", "default/svc1", "protocol", "layer2",
                "node", node, "ip", "10.0.0.100").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    @Test
    void theWinnerAnnouncesHandsOffReportsAndRecords() {
        SpeakerLoop a = loop("node-a");
        a.runOnce();
        assertThat(wire.log).containsExactly("announce default/svc1 10.0.0.100 " + io.ferrolb.speaker.plan.Interfaces.all());
        assertThat(handoff.log).containsExactly("install default/svc1 [10.0.0.100] [PortMapping[protocol=TCP, port=80, "
                + "nodePort=31080]]");
        assertThat(statuses.last).containsExactly(Map.entry(ServiceKey.parse("default/svc1"), List.of()));
        assertThat(events.log).containsExactly("Normal nodeAssigned svc1: announcing from node \"node-a\" with protocol "
                + "\"layer2\"");
        assertThat(announcedGauge("node-a")).isEqualTo(1.0);
        assertThat(a.ready()).isTrue();
    }

    @Test
    void aLoserAnnouncesNothingAndKeepsItsRulesStandingBy() {
        loop("node-b").runOnce();
        assertThat(wire.log).isEmpty();
        assertThat(handoff.log).containsExactly("install default/svc1 [10.0.0.100] [PortMapping[protocol=TCP, "
                + "port=80, nodePort=31080]]");
        assertThat(statuses.last).isEmpty();
        assertThat(events.log).isEmpty();
    }

    @Test
    void beforeJoiningTheRulesStandByAndTheFirstIterationAfterOnlyClaims() {
        inputs.joined = false;
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-a"));
        SpeakerLoop a = loop("node-a");
        a.prepare();
        assertThat(wire.log).isEmpty();
        assertThat(wire.expected).as("the filter for what it may claim after the join is made ready")
                .containsExactly(Set.of(IpAddress.parse("10.0.0.100")));
        assertThat(a.ready()).isFalse();
        assertThat(handoff.log).containsExactly("install default/svc1 [10.0.0.100] [PortMapping[protocol=TCP, "
                + "port=80, nodePort=31080]]");
        inputs.joined = true;
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-a", "node-b", "node-c"));
        a.runOnce();
        assertThat(wire.log).containsExactly("announce default/svc1 10.0.0.100 " + io.ferrolb.speaker.plan.Interfaces.all());
        assertThat(handoff.log).as("the rule was standing by").hasSize(1);
    }

    @Test
    void beforeJoiningOnlyCandidaciesStandBy() {
        inputs.joined = false;
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-b"));
        inputs.ads = List.of(new L2Advertisement("metallb-system", "a-only",
                onNodes(labels("kubernetes.io/hostname", "node-a"))));
        loop("node-b").prepare();
        assertThat(handoff.log).isEmpty();
        assertThat(wire.log).isEmpty();
        assertThat(wire.expected).isEmpty();
    }

    @Test
    void aTakeoverWritesNoRuleAndAReleaseToStandByRemovesNone() {
        SpeakerLoop b = loop("node-b");
        b.runOnce();
        handoff.log.clear();
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-b", "node-c"));
        b.runOnce();
        assertThat(wire.log).containsExactly(
                "announce default/svc1 10.0.0.100 " + io.ferrolb.speaker.plan.Interfaces.all() + " takeover");
        assertThat(handoff.log).as("the rules were standing by").isEmpty();
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-a", "node-b", "node-c"));
        b.runOnce();
        assertThat(wire.log).last().isEqualTo("withdraw default/svc1 10.0.0.100");
        assertThat(handoff.log).as("node-b stands by again").isEmpty();
        b.close();
        assertThat(handoff.log).containsExactly("remove default/svc1");
    }

    @Test
    void aFailureVerdictRefutedWhilePlanningClaimsNothing() {
        // node-a, the winner, is declared failed and re-added while node-b plans on the failed view.
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-b", "node-c"));
        inputs.changesTo = LiveSpeakers.of(List.of("node-a", "node-b", "node-c"));
        SpeakerLoop b = loop("node-b");
        b.runOnce();
        assertThat(wire.log).as("planned on a view that is gone").isEmpty();
        assertThat(handoff.log).isEmpty();
        b.runOnce();
        assertThat(b.announced()).isEmpty();
        assertThat(wire.log).isEmpty();
    }

    @Test
    void theNextNodeTakesOverWhenTheWinnerLeavesAndTheOldSeriesGoes() {
        SpeakerLoop a = loop("node-a");
        a.runOnce();
        SpeakerLoop b = loop("node-b");
        b.runOnce();
        assertThat(b.announced()).isEmpty();
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-b", "node-c"));
        a.runOnce();
        b.runOnce();
        assertThat(a.announced()).isEmpty();
        assertThat(b.announced()).containsKey(ServiceKey.parse("default/svc1"));
        assertThat(wire.log).containsExactly(
                "announce default/svc1 10.0.0.100 " + io.ferrolb.speaker.plan.Interfaces.all(),
                "withdraw default/svc1 10.0.0.100",
                "announce default/svc1 10.0.0.100 " + io.ferrolb.speaker.plan.Interfaces.all() + " takeover");
        assertThat(announcedGauge("node-a")).isZero();
        assertThat(announcedGauge("node-b")).isEqualTo(1.0);
    }

    @Test
    void aDeletedServiceIsWithdrawnAndItsStatusDropped() {
        SpeakerLoop a = loop("node-a");
        a.runOnce();
        inputs.services = List.of();
        a.runOnce();
        assertThat(wire.log).last().isEqualTo("withdraw default/svc1 10.0.0.100");
        assertThat(handoff.log).last().isEqualTo("remove default/svc1");
        assertThat(statuses.last).isEmpty();
        assertThat(announcedGauge("node-a")).isZero();
    }

    @Test
    void aChangedAddressIsWithdrawnBeforeTheNewOneIsAnnounced() {
        SpeakerLoop a = loop("node-a");
        a.runOnce();
        inputs.services = List.of(svc1("10.0.0.200"));
        a.runOnce();
        // 10.0.0.200 ranks node-a first too? Only if it still wins; check what happened either way.
        assertThat(wire.log.get(1)).isEqualTo("withdraw default/svc1 10.0.0.100");
    }

    @Test
    void nothingIsAnnouncedBeforeJoining() {
        inputs.joined = false;
        SpeakerLoop a = loop("node-a");
        a.runOnce();
        assertThat(wire.log).isEmpty();
        assertThat(a.ready()).isFalse();
        inputs.joined = true;
        a.runOnce();
        assertThat(wire.log).hasSize(1);
    }

    @Test
    void anInvalidConfigurationKeepsTheLastGoodOne() {
        SpeakerLoop a = loop("node-a");
        a.runOnce();
        inputs.pools = List.of(new IPAddressPool("metallb-system", "lab", IPAddressPoolSpec.of("10.0.0.0/33")));
        a.runOnce();
        assertThat(a.announced()).containsKey(ServiceKey.parse("default/svc1"));
        assertThat(registry.get("metallb_k8s_client_config_stale_bool").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aConfigurationThatDropsTheAnnouncedPoolIsNotApplied() {
        SpeakerLoop a = loop("node-a");
        a.runOnce();
        inputs.pools = List.of(new IPAddressPool("metallb-system", "other", IPAddressPoolSpec.of("10.9.0.0/24")));
        a.runOnce();
        assertThat(a.announced()).containsKey(ServiceKey.parse("default/svc1"));
        assertThat(registry.get("metallb_k8s_client_config_stale_bool").gauge().value()).isEqualTo(1.0);
        inputs.services = List.of();
        a.runOnce();
        a.runOnce();
        assertThat(registry.get("metallb_k8s_client_config_stale_bool").gauge().value()).isZero();
    }

    @Test
    void aMissingInterfaceIsReportedAndNotAnnounced() {
        inputs.ads = List.of(new L2Advertisement("metallb-system", "eno", onInterfaces("eno9")));
        SpeakerLoop a = loop("node-a");
        a.runOnce();
        assertThat(wire.log).isEmpty();
        assertThat(events.log).containsExactly("Warning announceFailed svc1: the interfaces specified by LB IP "
                + "\"10.0.0.100\" doesn't exist in assigned node \"node-a\" with protocol \"layer2\"");
    }

    @Test
    void restrictedInterfacesAreReportedInTheStatus() {
        inputs.ads = List.of(new L2Advertisement("metallb-system", "eth", onInterfaces("eth1")));
        loop("node-a").runOnce();
        assertThat(statuses.last).containsExactly(Map.entry(ServiceKey.parse("default/svc1"), List.of("eth1")));
    }

    @Test
    void aMembershipChangeReappliesTheAnnouncement() {
        SpeakerLoop a = loop("node-a");
        a.runOnce();
        a.runOnce();
        assertThat(wire.log).hasSize(1);
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-a", "node-b"));
        a.runOnce();
        assertThat(wire.log).hasSize(2).allMatch(l -> l.startsWith("announce"));
    }

    @Test
    void aFailedHandoffIsAnErrorEventedCountedAndRetriedAndNothingIsAnnouncedWithoutItsRules() {
        SpeakerLoop a = loop("node-a");
        handoff.failure = "\"iptables-save -t nat\" failed (exit 4): Permission denied";

        a.runOnce();

        assertThat(wire.log).isEmpty();
        assertThat(events.log).containsExactly("Warning handoffFailed svc1: could not install the handoff rules on node "
                + "\"node-a\": \"iptables-save -t nat\" failed (exit 4): Permission denied");
        assertThat(registry.find("ferrolb_speaker_handoff_failures").tag("action", "install").counter().count())
                .isEqualTo(1.0);
        assertThat(a.announced()).isEmpty();

        handoff.failure = null;
        a.runOnce();

        assertThat(wire.log).containsExactly("announce default/svc1 10.0.0.100 "
                + io.ferrolb.speaker.plan.Interfaces.all());
        assertThat(a.announced()).containsOnlyKeys(ServiceKey.parse("default/svc1"));
    }

    @Test
    void aTakeoverWhoseRulesStoodByNeedsNoWorkingHandoff() {
        SpeakerLoop b = loop("node-b");
        b.runOnce();
        handoff.failure = "\"iptables-restore --noflush -w 5\" failed (exit 4): Permission denied";
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-b", "node-c"));

        b.runOnce();

        assertThat(b.announced()).containsOnlyKeys(ServiceKey.parse("default/svc1"));
        assertThat(events.log).noneMatch(e -> e.contains("handoffFailed"));
    }

    /** node-b, which lost svc1 to node-a: its rule standing by, node-a's departure planned ahead. */
    private SpeakerLoop standingByForNodeA() {
        SpeakerLoop b = loop("node-b");
        b.runOnce();
        b.planAheadNow();
        return b;
    }

    /** node-a leaves the view; {@code certain}: it left or crashed, not a failure detector's verdict. */
    private void nodeAGoes(boolean certain) {
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-b", "node-c"));
        inputs.departed = certain ? Set.of("node-a") : Set.of();
    }

    private double claimedAhead() {
        var counter = registry.find("ferrolb_speaker_claimed_ahead").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theAddressesOfEachDeparturePlannedAheadGoToTheWireAsOneBatch() {
        standingByForNodeA();

        assertThat(wire.expected).containsExactly(Set.of(IpAddress.parse("10.0.0.100")));
    }

    @Test
    void aPeerThatGoesAwayIsReplacedFromThePlanMadeAheadBeforeTheNewViewIsPlanned() {
        SpeakerLoop b = standingByForNodeA();
        // node-a leaves (or crashes): only the claim made ahead runs here.
        nodeAGoes(true);
        b.runOnceClaimingAheadOnly();

        assertThat(wire.log).containsExactly(
                "announce default/svc1 10.0.0.100 " + io.ferrolb.speaker.plan.Interfaces.all() + " takeover");
        assertThat(claimedAhead()).isEqualTo(1.0);
        assertThat(events.log).containsExactly("Normal nodeAssigned svc1: announcing from node \"node-b\" with "
                + "protocol \"layer2\"");

        b.runOnce();
        assertThat(wire.log).as("the full plan finds the claim applied").hasSize(1);
        assertThat(events.log).hasSize(1);
    }

    @Test
    void aPlanMadeAheadIsNotUsedForAServiceThatChangedSince() {
        SpeakerLoop b = standingByForNodeA();
        inputs.services = List.of(new io.fabric8.kubernetes.api.model.ServiceBuilder(svc1("10.0.0.100"))
                .editMetadata().withResourceVersion("2").endMetadata().build());
        nodeAGoes(true);
        b.runOnceClaimingAheadOnly();

        assertThat(wire.log).isEmpty();
        assertThat(claimedAhead()).isZero();
    }

    @Test
    void aPlanMadeAheadIsNotUsedWhenTheViewChangedAgain() {
        SpeakerLoop b = standingByForNodeA();
        nodeAGoes(true);
        inputs.changesTo = LiveSpeakers.of(List.of("node-a", "node-b", "node-c"));
        b.runOnceClaimingAheadOnly();

        assertThat(wire.log).isEmpty();
        assertThat(claimedAhead()).isZero();
    }

    @Test
    void aPeerAFailureDetectorDeclaredDeadIsNotClaimedAheadButPlannedInFull() {
        SpeakerLoop b = standingByForNodeA();
        // Not departed for certain: SWIM's verdict, which a busy node-a may yet refute.
        nodeAGoes(false);
        b.runOnceClaimingAheadOnly();
        assertThat(wire.log).isEmpty();

        b.runOnce();
        assertThat(wire.log).containsExactly(
                "announce default/svc1 10.0.0.100 " + io.ferrolb.speaker.plan.Interfaces.all() + " takeover");
        assertThat(claimedAhead()).isZero();
    }

    @Test
    void anIterationInFlightAtCloseAnnouncesNothingAfterTheWithdraw() throws Exception {
        SpeakerLoop a = loop("node-a");
        inputs.holdServices = new java.util.concurrent.CountDownLatch(1);
        a.start();
        assertThat(inputs.servicesHeld.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(a::close, "closer");
        closer.start();
        // close() has withdrawn (nothing yet) and now either returned or waits for the iteration.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> closer.getState() != Thread.State.RUNNABLE && closer.getState() != Thread.State.NEW);
        inputs.holdServices.countDown();
        closer.join(10_000);
        inputs.heldThread.join(10_000);

        assertThat(closer.isAlive()).isFalse();
        assertThat(inputs.heldThread.isAlive()).as("the loop thread ended").isFalse();
        assertThat(wire.log).as("nothing announced after close").noneMatch(l -> l.startsWith("announce"));
        assertThat(a.announced()).isEmpty();
        assertThat(announcedGauge("node-a")).isZero();
    }

    @Test
    void anAddressAnotherNodesStatusNamesIsATakeoverEvenRightAfterARestart() {
        // A restarted speaker has no previous plan: the cluster's ServiceL2Status says node-c held it,
        // and node-c is alive: a handover, the wire waits until node-c stops answering.
        inputs.announcers = Map.of(ServiceKey.parse("default/svc1"), java.util.Set.of("node-c"));
        loop("node-a").runOnce();
        assertThat(wire.log).containsExactly("announce default/svc1 10.0.0.100 "
                + io.ferrolb.speaker.plan.Interfaces.all() + " handover");
        wire.log.clear();
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-a", "node-b"));
        inputs.services = List.of(svc1("10.0.0.100"));
        SpeakerLoop fresh = loop("node-a");
        fresh.runOnce();
        assertThat(wire.log).as("node-c is gone: taken over at once").containsExactly(
                "announce default/svc1 10.0.0.100 " + io.ferrolb.speaker.plan.Interfaces.all() + " takeover");
    }

    @Test
    void aNewServiceIsNoTakeover() {
        inputs.announcers = Map.of(ServiceKey.parse("default/svc1"), java.util.Set.of("node-a"));
        loop("node-a").runOnce();
        assertThat(wire.log).containsExactly("announce default/svc1 10.0.0.100 "
                + io.ferrolb.speaker.plan.Interfaces.all());
    }

    private double notAnnouncedGauge(String reason) {
        var gauge = registry.find("ferrolb_speaker_not_announced").tags("service", "default/svc1", "reason", reason)
                .gauge();
        return gauge == null ? 0 : gauge.value();
    }

    @Test
    void aServiceNobodyAnnouncesIsReportedOnceByOneSpeakerWithItsReason() {
        inputs.slices = List.of();
        SpeakerLoop a = loop("node-a");
        SpeakerLoop b = loop("node-b");
        a.runOnce();
        b.runOnce();
        a.runOnce();

        assertThat(events.log).as("one event, from the first live speaker by name").containsExactly(
                "Warning notAnnounced svc1: no node announces 10.0.0.100: no endpoint is ready or serving "
                        + "(noServingEndpoints)");
        assertThat(notAnnouncedGauge("noServingEndpoints")).isEqualTo(1.0);

        inputs.slices = List.of(slice("svc1", ready("node-b")));
        a.runOnce();
        assertThat(notAnnouncedGauge("noServingEndpoints")).as("announced again: series gone").isZero();
        assertThat(a.announced()).containsOnlyKeys(ServiceKey.parse("default/svc1"));
    }

    @Test
    void theReporterIsTheFirstLiveSpeakerSoAnotherOneReportsWhenItIsGone() {
        inputs.slices = List.of();
        inputs.liveSpeakers = LiveSpeakers.of(List.of("node-b", "node-c"));
        loop("node-b").runOnce();
        loop("node-c").runOnce();
        assertThat(events.log).hasSize(1).allMatch(l -> l.startsWith("Warning notAnnounced svc1"));
    }

    @Test
    void aNodeThatIsMerelyNotSelectedReportsNothingWhileAnotherNodeAnnounces() {
        inputs.ads = List.of(new L2Advertisement("metallb-system", "b-only", io.ferrolb.speaker.plan.Fixtures.onNodes(
                io.ferrolb.speaker.plan.Fixtures.labels("kubernetes.io/hostname", "node-b"))));
        loop("node-a").runOnce();
        assertThat(events.log).isEmpty();
        assertThat(notAnnouncedGauge("noMatchingAdvertisement")).isZero();
    }

    @Test
    void anAdvertisementThatSelectsNoNodeIsReported() {
        inputs.ads = List.of(new L2Advertisement("metallb-system", "typo", io.ferrolb.speaker.plan.Fixtures.onNodes(
                io.ferrolb.speaker.plan.Fixtures.labels("kubernetes.io/hostname", "node-z"))));
        loop("node-a").runOnce();
        assertThat(events.log).containsExactly("Warning notAnnounced svc1: no node announces 10.0.0.100: the "
                + "L2Advertisements of pool lab applying to this Service select no node that can announce it "
                + "(noMatchingAdvertisement)");
        assertThat(notAnnouncedGauge("noMatchingAdvertisement")).isEqualTo(1.0);
    }
}
