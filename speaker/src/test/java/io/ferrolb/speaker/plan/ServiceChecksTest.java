package io.ferrolb.speaker.plan;

import static io.ferrolb.speaker.plan.Fixtures.adSpec;
import static io.ferrolb.speaker.plan.Fixtures.annotated;
import static io.ferrolb.speaker.plan.Fixtures.lb;
import static io.ferrolb.speaker.plan.Fixtures.lbBuilder;
import static io.ferrolb.speaker.plan.Fixtures.labels;
import static io.ferrolb.speaker.plan.Fixtures.onNodes;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.ferrolb.api.v1beta1.LabelSelector;
import io.ferrolb.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The checks before the election: class, type, ingress IPs, pool (docs/compatibility.md §2.1, §3.2). */
class ServiceChecksTest {

    static Stream<Arguments> classes() {
        return Stream.of(
                Arguments.of("no class served, none set", null, null, true),
                Arguments.of("no class served, one set", null, "other.io/lb", false),
                Arguments.of("empty flag means no class", "", null, true),
                Arguments.of("empty flag, class set", "", "other.io/lb", false),
                Arguments.of("class served, same set", "ferrolb.io/l2", "ferrolb.io/l2", true),
                Arguments.of("class served, none set", "ferrolb.io/l2", null, false),
                Arguments.of("class served, other set", "ferrolb.io/l2", "other.io/lb", false),
                Arguments.of("class compared exactly", "ferrolb.io/l2", "Ferrolb.io/L2", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classes")
    void handlesOnlyServicesOfItsLoadBalancerClass(String name, String ours, String theirs, boolean handled) {
        Service service = lbBuilder("svc", "10.0.0.100").editSpec().withLoadBalancerClass(theirs).endSpec().build();
        Decision decision = Scenario.standard().served(service)
                .options(new PlanOptions(Optional.ofNullable(ours), false)).decision("svc");
        if (handled) {
            assertThat(decision).isInstanceOf(Announcement.class);
        } else {
            assertThat(decision).isInstanceOfSatisfying(NotAnnounced.Skipped.class,
                    s -> assertThat(s.reason()).isEqualTo(Reason.LOAD_BALANCER_CLASS_FILTERED));
        }
    }

    @ParameterizedTest(name = "type {0}")
    @MethodSource("otherTypes")
    void announcesOnlyLoadBalancerServices(String type) {
        Service service = lbBuilder("svc", "10.0.0.100").editSpec().withType(type).endSpec().build();
        assertThat(reason(Scenario.standard().served(service), "svc")).isEqualTo(Reason.NOT_LOAD_BALANCER);
    }

    static Stream<String> otherTypes() {
        return Stream.of("ClusterIP", "NodePort", "ExternalName", null, "loadbalancer");
    }

    @Test
    void treatsAServiceWithoutSpecAsNotLoadBalancer() {
        Service service = new ServiceBuilder(lb("svc", "10.0.0.100")).withSpec(null).build();
        assertThat(reason(Scenario.standard().served(service), "svc")).isEqualTo(Reason.NOT_LOAD_BALANCER);
    }

    static Stream<Arguments> ingress() {
        return Stream.of(
                Arguments.of("no status", new ServiceBuilder(lb("svc")).withStatus(null).build(), Reason.NO_IP_ALLOCATED),
                Arguments.of("no ingress", lb("svc"), Reason.NO_IP_ALLOCATED),
                Arguments.of("hostname only", new ServiceBuilder(lb("svc")).editStatus().editLoadBalancer()
                        .withIngress(new LoadBalancerIngressBuilder().withHostname("lb.example").build())
                        .endLoadBalancer().endStatus().build(), Reason.INVALID_IP),
                Arguments.of("octet out of range", lb("svc", "10.0.0.256"), Reason.INVALID_IP),
                Arguments.of("leading zero", lb("svc", "10.0.0.010"), Reason.INVALID_IP),
                Arguments.of("zone", lb("svc", "fe80::1%eth0"), Reason.INVALID_IP),
                Arguments.of("second one invalid", lb("svc", "10.0.0.100", "bogus"), Reason.INVALID_IP),
                Arguments.of("in no pool", lb("svc", "172.16.0.1"), Reason.IP_NOT_ALLOWED),
                Arguments.of("second in no pool", lb("svc", "10.0.0.100", "fd00::1"), Reason.IP_NOT_ALLOWED),
                Arguments.of("first in no pool", lb("svc", "fd00::1", "10.0.0.100"), Reason.IP_NOT_ALLOWED),
                Arguments.of("families in two pools", lb("svc", "10.0.0.100", "fc00:f853:ccd:e700::1"),
                        Reason.IP_NOT_ALLOWED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ingress")
    void requiresParseableIngressIpsInOnePool(String name, Service service, Reason expected) {
        Scenario cluster = Scenario.standard().pool("other-v6", "fc00:f853:ccd:e700::/124").served(service);
        assertThat(cluster.announcers("svc")).isEmpty();
        cluster.everyNode("svc").values().forEach(d -> assertThat(((NotAnnounced) d).reason()).isEqualTo(expected));
    }

    @Test
    void quotesTheInvalidIpInTheDetail() {
        Decision decision = Scenario.standard().served(lb("svc", "10.0.0.100", "bogus")).decision("svc");
        assertThat(decision).isEqualTo(new NotAnnounced.Skipped(decision.service(), Reason.INVALID_IP,
                "invalid LoadBalancer IP \"bogus\""));
    }

    @Test
    void withoutAnyPoolNoIpIsAllowed() {
        Scenario cluster = Scenario.empty().nodes("node-a").served(lb("svc", "10.0.0.100"));
        assertThat(reason(cluster, "svc")).isEqualTo(Reason.IP_NOT_ALLOWED);
    }

    @Test
    void announcesEveryIpOfADualStackServiceFromOnePool() {
        Decision decision = Scenario.standard().served(lb("svc", "10.0.0.100", "fc00:f853:ccd:e799::1")).decision("svc");
        assertThat(decision).isEqualTo(new Announcement(new ServiceKey("default", "svc"),
                List.of(IpAddress.parse("10.0.0.100"), IpAddress.parse("fc00:f853:ccd:e799::1")), "default",
                Interfaces.all(), "node-a"));
    }

    /** The first failing check names the reason, in MetalLB's order. */
    static Stream<Arguments> order() {
        Service sharedNoEndpoints = annotated(lb("svc", "10.0.0.100"), "metallb.io/allow-shared-ip", "k");
        return Stream.of(
                Arguments.of("class before type", lbBuilder("svc").editSpec().withType("ClusterIP")
                        .withLoadBalancerClass("x").endSpec().build(), false, Reason.LOAD_BALANCER_CLASS_FILTERED),
                Arguments.of("type before ingress", lbBuilder("svc").editSpec().withType("NodePort").endSpec().build(),
                        false, Reason.NOT_LOAD_BALANCER),
                Arguments.of("invalid before endpoints", lb("svc", "x"), false, Reason.INVALID_IP),
                Arguments.of("pool before endpoints", lb("svc", "172.16.0.1"), false, Reason.IP_NOT_ALLOWED),
                Arguments.of("endpoints before advertisements", sharedNoEndpoints, false, Reason.NO_SERVING_ENDPOINTS),
                Arguments.of("shared IP before node match", sharedNoEndpoints, true,
                        Reason.SHARED_IP_WITH_SERVICE_SELECTOR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("order")
    void checksInMetalLbsOrder(String name, Service service, boolean served, Reason expected) {
        // The only advertisement has a serviceSelector matching every Service and selects node-c only.
        Scenario cluster = Scenario.standard().onlyAds(Map.of("c-only", adSpec(
                List.of(labels("kubernetes.io/hostname", "node-c")), null, List.of(new LabelSelector(null, null)))));
        cluster = served ? cluster.served(service) : cluster.service(service);
        assertThat(reason(cluster, "svc")).isEqualTo(expected);
    }

    @Test
    void noMatchingAdvertisementComesBeforeTheCandidates() {
        // Nobody is eligible (all excluded), but node-a is not even selected: that is what it reports.
        Scenario cluster = Scenario.standard().onlyAds(Map.of("c-only", onNodes(labels("kubernetes.io/hostname", "node-c"))))
                .node(Fixtures.node("node-c", NodeView.EXCLUDE_LABEL, ""))
                .served(lb("svc", "10.0.0.100"));
        assertThat(reason(cluster, "svc")).isEqualTo(Reason.NO_MATCHING_ADVERTISEMENT);
        assertThat(reason(cluster.as("node-c"), "svc")).isEqualTo(Reason.NO_AVAILABLE_NODES);
    }

    static Reason reason(Scenario cluster, String service) {
        Decision decision = cluster.decision(service);
        assertThat(decision).isInstanceOf(NotAnnounced.class);
        return ((NotAnnounced) decision).reason();
    }
}
