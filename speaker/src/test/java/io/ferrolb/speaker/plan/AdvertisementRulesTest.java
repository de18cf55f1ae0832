package io.ferrolb.speaker.plan;

import static io.ferrolb.speaker.plan.CandidateRulesTest.zoned;
import static io.ferrolb.speaker.plan.Fixtures.adSpec;
import static io.ferrolb.speaker.plan.Fixtures.annotated;
import static io.ferrolb.speaker.plan.Fixtures.forServices;
import static io.ferrolb.speaker.plan.Fixtures.labelled;
import static io.ferrolb.speaker.plan.Fixtures.labels;
import static io.ferrolb.speaker.plan.Fixtures.lb;
import static io.ferrolb.speaker.plan.Fixtures.onInterfaces;
import static io.ferrolb.speaker.plan.Fixtures.onNodes;
import static io.ferrolb.speaker.plan.Fixtures.prefer;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.api.v1beta1.LabelSelector;
import io.ferrolb.api.v1beta1.PreferredNodeSelector;
import io.ferrolb.net.IpAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the advertisements decide: which apply to a Service, the clash with allow-shared-ip,
 * preferences, and the interfaces (docs/compatibility.md §1.3, §3.2 steps 2, 3, 6, §3.8). Nodes are zoned
 * (zone=a|b|c); 10.0.0.100 ranks node-a, node-b, node-c.
 */
class AdvertisementRulesTest {

    private static final ServiceKey SVC = new ServiceKey("default", "svc");

    static Stream<Arguments> serviceSelectors() {
        Map<String, L2AdvertisementSpec> split = ads(
                "web", adSpec(List.of(labels("zone", "c")), null, List.of(labels("app", "web"))),
                "db", adSpec(null, null, List.of(labels("app", "db"))));
        return Stream.of(
                Arguments.of("web: only the web ad applies", split, Map.of("app", "web"), Set.of("node-c")),
                Arguments.of("db: only the db ad applies", split, Map.of("app", "db"), Set.of("node-a")),
                Arguments.of("unlabelled: no ad applies", split, Map.of(), Set.of()),
                Arguments.of("plain ad applies to all", ads("web", adSpec(List.of(labels("zone", "c")), null,
                        List.of(labels("app", "web"))), "all", onNodes(labels("zone", "b"))), Map.of("app", "web"),
                        Set.of("node-b")),
                Arguments.of("selectors are ORed", ads("l2", adSpec(List.of(labels("zone", "b")), null,
                        List.of(labels("app", "web"), labels("app", "db")))), Map.of("app", "db"), Set.of("node-b")));
    }

    /** Only advertisements applying to the Service count for candidates (MetalLB #3014). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceSelectors")
    void onlyAdvertisementsSelectingTheServiceApply(String name, Map<String, L2AdvertisementSpec> ads,
                                                    Map<String, String> serviceLabels, Set<String> announcers) {
        Service service = labelled(lb("svc", "10.0.0.100"), flat(serviceLabels));
        assertThat(zoned().onlyAds(ads).served(service).announcers("svc")).isEqualTo(announcers);
    }

    static Stream<Arguments> sharing() {
        Map<String, L2AdvertisementSpec> selective = ads("web", forServices(labels("app", "web")));
        Map<String, L2AdvertisementSpec> mixed = ads("web", forServices(labels("app", "web")),
                "all", L2AdvertisementSpec.all());
        Map<String, L2AdvertisementSpec> plain = ads("all", L2AdvertisementSpec.all());
        return Stream.of(
                Arguments.of("annotation + selective ad", "metallb.io/allow-shared-ip", "key", selective, true),
                Arguments.of("deprecated annotation", "metallb.universe.tf/allow-shared-ip", "key", selective, true),
                Arguments.of("empty value counts", "metallb.io/allow-shared-ip", "", selective, true),
                Arguments.of("one selective ad among plain ones", "metallb.io/allow-shared-ip", "key", mixed, true),
                Arguments.of("plain ads only", "metallb.io/allow-shared-ip", "key", plain, false),
                Arguments.of("no annotation", "other.io/annotation", "key", selective, false),
                Arguments.of("selective ad not applying", "metallb.io/allow-shared-ip", "key",
                        ads("db", forServices(labels("app", "db")), "all", L2AdvertisementSpec.all()), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharing")
    void allowSharedIpAndServiceSelectorsDoNotMix(String name, String annotation, String value,
                                                  Map<String, L2AdvertisementSpec> ads, boolean blocked) {
        Service service = annotated(labelled(lb("svc", "10.0.0.100"), "app", "web"), annotation, value);
        Scenario cluster = zoned().onlyAds(ads).served(service);
        if (blocked) {
            assertThat(cluster.announcers("svc")).isEmpty();
            assertThat(ServiceChecksTest.reason(cluster, "svc")).isEqualTo(Reason.SHARED_IP_WITH_SERVICE_SELECTOR);
        } else {
            assertThat(cluster.announcers("svc")).containsExactly("node-a");
        }
    }

    @Test
    void aPoolWithoutAdvertisementIsNotAnnounced() {
        Scenario cluster = zoned().onlyAds(ads("elsewhere", new L2AdvertisementSpec(List.of("other"), null, null, null,
                null, null))).pool("other", "172.16.0.0/24").served(lb("svc", "10.0.0.100"));
        assertThat(cluster.announcers("svc")).isEmpty();
        cluster.everyNode("svc").values().forEach(d ->
                assertThat(((NotAnnounced) d).reason()).isEqualTo(Reason.NO_MATCHING_ADVERTISEMENT));
    }

    static Stream<Arguments> preferences() {
        return Stream.of(
                Arguments.of("no preferences: hash order", ads("l2", L2AdvertisementSpec.all()), "node-a"),
                Arguments.of("one preference", ads("l2", prefs(null, prefer(10, labels("zone", "c")))), "node-c"),
                Arguments.of("matching preferences add up", ads("l2", prefs(null, prefer(30, labels("zone", "a")),
                        prefer(20, labels("zone", "b")), prefer(20, labels("kubernetes.io/hostname", "node-b")))),
                        "node-b"),
                Arguments.of("scores add up across ads", ads(
                        "x", prefs(null, prefer(30, labels("zone", "a"))),
                        "y", prefs(null, prefer(20, labels("zone", "c"))),
                        "z", prefs(null, prefer(20, labels("zone", "c")))), "node-c"),
                Arguments.of("equal scores: hash order", ads("l2", prefs(null, prefer(40, labels("zone", "c")),
                        prefer(40, labels("zone", "b")))), "node-b"),
                Arguments.of("an ad scores only the nodes it selects", ads(
                        "b-only", prefs(List.of(labels("zone", "b")), prefer(100, labels("zone", "c"))),
                        "all", L2AdvertisementSpec.all()), "node-a"),
                Arguments.of("ads not applying to the Service do not score", ads(
                        "db", new L2AdvertisementSpec(null, null, null, null, List.of(labels("app", "db")),
                                List.of(prefer(100, labels("zone", "c")))),
                        "all", L2AdvertisementSpec.all()), "node-a"),
                Arguments.of("a preferred node must still be eligible", ads(
                        "l2", prefs(List.of(labels("zone", "a"), labels("zone", "b")), prefer(100, labels("zone", "c")))),
                        "node-a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preferences")
    void preferredNodesWinBeforeTheHash(String name, Map<String, L2AdvertisementSpec> ads, String announcer) {
        Scenario cluster = zoned().onlyAds(ads).served(labelled(lb("svc", "10.0.0.100"), "app", "web"));
        assertThat(cluster.announcers("svc")).containsExactly(announcer);
    }

    static Stream<Arguments> interfaces() {
        return Stream.of(
                Arguments.of("no list: all", ads("l2", L2AdvertisementSpec.all()), Interfaces.all()),
                Arguments.of("one list", ads("l2", onInterfaces("eth0")), Interfaces.only(List.of("eth0"))),
                Arguments.of("union of lists", ads("x", onInterfaces("eth1"), "y", onInterfaces("eth0", "eth1")),
                        Interfaces.only(List.of("eth0", "eth1"))),
                Arguments.of("one ad without list: all", ads("x", onInterfaces("eth0"), "y", L2AdvertisementSpec.all()),
                        Interfaces.all()),
                Arguments.of("only ads selecting this node count", ads(
                        "mine", adSpec(List.of(labels("zone", "a")), List.of("eth0"), null),
                        "theirs", adSpec(List.of(labels("zone", "b")), List.of("eth9"), null),
                        "theirs-all", onNodes(labels("zone", "c"))), Interfaces.only(List.of("eth0"))),
                Arguments.of("only ads applying to the Service count", ads(
                        "web", adSpec(null, List.of("eth0"), List.of(labels("app", "web"))),
                        "db", adSpec(null, null, List.of(labels("app", "db")))), Interfaces.only(List.of("eth0"))),
                Arguments.of("requested names kept even if some are missing",
                        ads("l2", onInterfaces("eth0", "eth9")), Interfaces.only(List.of("eth0", "eth9"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("interfaces")
    void announcesOnTheUnionOfTheInterfacesOfTheAdvertisementsSelectingThisNode(
            String name, Map<String, L2AdvertisementSpec> ads, Interfaces expected) {
        Scenario cluster = zoned().onlyAds(ads).served(labelled(lb("svc", "10.0.0.100"), "app", "web"));
        assertThat(cluster.decision("svc")).isEqualTo(new Announcement(SVC, List.of(IpAddress.parse("10.0.0.100")),
                "default", expected, "node-a"));
    }

    @Test
    void aWinnerWithoutAnyRequestedInterfaceFailsAndNobodyElseTakesOver() {
        Scenario cluster = zoned().onlyAds(ads("l2", onInterfaces("eth9", "bond0")))
                .served(lb("svc", "10.0.0.100", "fc00:f853:ccd:e799::1"));
        NotAnnounced.AnnounceFailed failed = new NotAnnounced.AnnounceFailed(SVC,
                List.of(IpAddress.parse("10.0.0.100"), IpAddress.parse("fc00:f853:ccd:e799::1")),
                new Interfaces.Only(new TreeSet<>(List.of("bond0", "eth9"))), "node-a");
        assertThat(cluster.decision("svc")).isEqualTo(failed);
        assertThat(failed.reason().text()).isEqualTo("announceFailed");
        assertThat(failed.eventMessages()).containsExactly(
                "the interfaces specified by LB IP \"10.0.0.100\" doesn't exist in assigned node \"node-a\" "
                        + "with protocol \"layer2\"",
                "the interfaces specified by LB IP \"fc00:f853:ccd:e799::1\" doesn't exist in assigned node "
                        + "\"node-a\" with protocol \"layer2\"");
        // The election is not re-run: the Service is dark.
        assertThat(cluster.announcers("svc")).isEmpty();
    }

    static Stream<Arguments> localInterfaces() {
        return Stream.of(
                Arguments.of("restricted, none here", onInterfaces("eth0"), Set.of(), false),
                Arguments.of("restricted, one here", onInterfaces("eth0", "eth9"), Set.of("eth0"), true),
                Arguments.of("all, none here", L2AdvertisementSpec.all(), Set.of(), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("localInterfaces")
    void failsOnlyWhenNoneOfTheRequestedInterfacesExists(String name, L2AdvertisementSpec ad, Set<String> local,
                                                         boolean announced) {
        Scenario cluster = zoned().onlyAds(ads("l2", ad)).served(lb("svc", "10.0.0.100"))
                .interfaces(local.toArray(String[]::new));
        Decision decision = cluster.decision("svc");
        if (announced) {
            assertThat(decision).isInstanceOf(Announcement.class);
        } else {
            assertThat(decision).isInstanceOf(NotAnnounced.AnnounceFailed.class);
        }
    }

    private static L2AdvertisementSpec prefs(List<LabelSelector> nodeSelectors,
                                             PreferredNodeSelector... preferences) {
        return new L2AdvertisementSpec(null, null, nodeSelectors, null, null, List.of(preferences));
    }

    /** An insertion-ordered map of advertisements: name, spec, name, spec... */
    static Map<String, L2AdvertisementSpec> ads(Object... nameSpecPairs) {
        Map<String, L2AdvertisementSpec> out = new LinkedHashMap<>();
        for (int i = 0; i < nameSpecPairs.length; i += 2) {
            out.put((String) nameSpecPairs[i], (L2AdvertisementSpec) nameSpecPairs[i + 1]);
        }
        return out;
    }

    private static String[] flat(Map<String, String> labels) {
        return labels.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).toArray(String[]::new);
    }
}
