package io.ferrolb.speaker.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.config.Config;
import io.ferrolb.net.IpAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A configuration that orphans an announced IP is kept out (docs/compatibility.md §2.6, §7 item 29). */
class StaleConfigGuardTest {

    private static final ServiceKey WEB = new ServiceKey("default", "web");
    private static final ServiceKey DNS = new ServiceKey("kube-system", "dns");

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("same pools", pools("a", "10.0.0.0/24", "b", "fc00::/124"), true),
                Arguments.of("pool renamed", pools("renamed", "10.0.0.0/24", "b", "fc00::/124"), true),
                Arguments.of("pool grown", pools("a", "10.0.0.0/16", "b", "fc00::/120"), true),
                Arguments.of("v4 pool deleted", pools("b", "fc00::/124"), false),
                Arguments.of("v4 pool shrunk past the IP", pools("a", "10.0.0.0/26", "b", "fc00::/124"), false),
                Arguments.of("dual-stack IPs split over two pools", pools("a", "10.0.0.0/24", "b", "fc00::/124",
                        "c", "fc00:1::/124"), false),
                Arguments.of("no pools at all", pools(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void mayApplyOnlyWhileEveryAnnouncedServiceKeepsAPool(String name, Config next, boolean mayApply) {
        Map<ServiceKey, List<IpAddress>> announced = Map.of(
                WEB, ips("10.0.0.100"),
                DNS, ips("fc00::1", "fc00:1::1").subList(0, "dual-stack IPs split over two pools".equals(name) ? 2 : 1));
        assertThat(StaleConfigGuard.check(announced, next).mayApply()).isEqualTo(mayApply);
    }

    @Test
    void namesTheOrphansSortedByService() {
        StaleConfigGuard.Verdict verdict = StaleConfigGuard.check(Map.of(
                WEB, ips("10.0.0.100"), DNS, ips("10.0.0.53")), pools("b", "fc00::/124"));
        assertThat(verdict).isEqualTo(new StaleConfigGuard.KeepOld(List.of(
                new StaleConfigGuard.Orphan(WEB, ips("10.0.0.100")),
                new StaleConfigGuard.Orphan(DNS, ips("10.0.0.53")))));
        assertThat(((StaleConfigGuard.KeepOld) verdict).message()).isEqualTo("new configuration rejected: no pool "
                + "for announced service=default/web ips=[10.0.0.100], service=kube-system/dns ips=[10.0.0.53]");
    }

    @Test
    void nothingAnnouncedAcceptsAnything() {
        assertThat(StaleConfigGuard.check(Map.of(), Config.empty())).isEqualTo(new StaleConfigGuard.Apply());
    }

    @Test
    void checksTheAnnouncementsOfAPlan() {
        Plan plan = Scenario.standard().served(Fixtures.lb("svc", "10.0.0.100")).plan();
        assertThat(StaleConfigGuard.check(plan.announcements(), pools("p", "10.0.0.0/24")).mayApply()).isTrue();
        assertThat(StaleConfigGuard.check(plan.announcements(), pools("p", "10.1.0.0/24")).mayApply()).isFalse();
        assertThat(StaleConfigGuard.check(plan.announcedIps(), pools("p", "10.1.0.0/24")).mayApply()).isFalse();
    }

    private static List<IpAddress> ips(String... texts) {
        return Arrays.stream(texts).map(IpAddress::parse).toList();
    }

    /** A configuration of pools: name, addresses, name, addresses... */
    private static Config pools(String... nameAddressPairs) {
        Scenario cluster = Scenario.empty();
        for (int i = 0; i < nameAddressPairs.length; i += 2) {
            cluster.pool(nameAddressPairs[i], nameAddressPairs[i + 1]);
        }
        return cluster.config();
    }
}
