package io.ferrolb.config;

import static io.ferrolb.config.Fixtures.ad;
import static io.ferrolb.config.Fixtures.adOfPools;
import static io.ferrolb.config.Fixtures.adSpec;
import static io.ferrolb.config.Fixtures.allocation;
import static io.ferrolb.config.Fixtures.expression;
import static io.ferrolb.config.Fixtures.labelled;
import static io.ferrolb.config.Fixtures.labels;
import static io.ferrolb.config.Fixtures.pool;
import static io.ferrolb.config.Fixtures.prefer;
import static io.ferrolb.config.Fixtures.preferring;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.net.Cidr;
import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a valid configuration translates to. */
class ConfigTest {

    @Test
    void expandsAddressEntriesInOrderAndNormalisesThem() throws ConfigException {
        Config config = Config.from(List.of(pool("p", "192.168.10.7/24", " 192.168.9.1 - 192.168.9.5 ",
                "fc00:f853:0ccd:e799::/124", "fc00::1-fc00::2")), List.of());
        assertThat(config.pool("p").orElseThrow().cidrs()).map(Cidr::toString).containsExactly(
                "192.168.10.0/24", "192.168.9.1/32", "192.168.9.2/31", "192.168.9.4/31",
                "fc00:f853:ccd:e799::/124", "fc00::1/128", "fc00::2/128");
        Pool p = config.pool("p").orElseThrow();
        assertThat(p.cidrs(IpFamily.IPV6)).hasSize(3);
        assertThat(p.hasFamily(IpFamily.IPV4)).isTrue();
    }

    @ParameterizedTest(name = "autoAssign={0} avoidBuggyIPs={1} -> {2}/{3}")
    @MethodSource("flags")
    void appliesTheCrdDefaultsWhenFlagsAreUnset(Boolean autoAssign, Boolean avoidBuggy, boolean expectedAuto,
                                                boolean expectedAvoid) throws ConfigException {
        IPAddressPool raw = new IPAddressPool(Fixtures.NS, "p",
                new IPAddressPoolSpec(List.of("10.0.0.0/24"), autoAssign, avoidBuggy, null));
        Pool p = Config.from(List.of(raw), List.of()).pools().get(0);
        assertThat(p.autoAssign()).isEqualTo(expectedAuto);
        assertThat(p.avoidBuggyIPs()).isEqualTo(expectedAvoid);
    }

    static Stream<Arguments> flags() {
        return Stream.of(
                Arguments.of(null, null, true, false),
                Arguments.of(false, true, false, true),
                Arguments.of(true, false, true, false));
    }

    @Test
    void sortsPoolsByNameAndFindsThePoolOfAnAddress() throws ConfigException {
        Config config = Config.from(List.of(pool("zeta", "10.0.2.0/24"), pool("alpha", "10.0.1.0/24")), List.of());
        assertThat(config.pools()).map(Pool::name).containsExactly("alpha", "zeta");
        assertThat(config.poolContaining(IpAddress.parse("10.0.2.255"))).map(Pool::name).contains("zeta");
        assertThat(config.poolContaining(IpAddress.parse("10.0.3.0"))).isEmpty();
        assertThat(Config.empty().pools()).isEmpty();
    }

    @Test
    void anAllocationWithoutRestrictionsSelectsEveryService() throws ConfigException {
        Pool p = Config.from(List.of(pool("p", allocation(5, null, null, null), "10.0.0.0/24")), List.of())
                .pools().get(0);
        PoolAllocation a = p.allocation().orElseThrow();
        assertThat(a.priority()).isEqualTo(5);
        assertThat(a.serviceSelectors()).containsExactly(Selector.everything());
        assertThat(a.selectsService(Map.of())).isTrue();
        assertThat(Config.from(List.of(pool("q", "10.0.1.0/24")), List.of()).pools().get(0).allocation()).isEmpty();
    }

    @Test
    void resolvesNamespaceSelectorsAgainstCurrentLabels() throws ConfigException {
        Pool p = Config.from(List.of(pool("p", allocation(null, List.of("named"), List.of(labels("team", "red")),
                List.of(expression("app", "In", "web", "api"))), "10.0.0.0/24")), List.of()).pools().get(0);
        PoolAllocation a = p.allocation().orElseThrow();
        assertThat(a.priority()).isZero();
        assertThat(a.resolveNamespaces(Map.of(
                "red-1", Map.of("team", "red"),
                "blue-1", Map.of("team", "blue"),
                "named", Map.of()))).containsExactly("named", "red-1");
        assertThat(a.selectsService(Map.of("app", "web"))).isTrue();
        assertThat(a.selectsService(Map.of("app", "db"))).isFalse();
    }

    @Test
    void anAdvertisementWithoutPoolsOrSelectorsAnnouncesEveryPool() throws ConfigException {
        Config config = Config.from(List.of(pool("a", "10.0.1.0/24"), pool("b", "10.0.2.0/24")),
                List.of(ad("all", null), ad("empty", adSpec(null, null, null, null, null))));
        for (Pool p : config.pools()) {
            assertThat(p.l2Advertisements()).map(Advertisement::name).containsExactly("all", "empty");
        }
    }

    @Test
    void anAdvertisementAnnouncesTheUnionOfNamedAndSelectedPoolsOnce() throws ConfigException {
        List<IPAddressPool> pools = List.of(
                labelled(pool("a", "10.0.1.0/24"), Map.of("tier", "gold")),
                labelled(pool("b", "10.0.2.0/24"), Map.of("tier", "silver")),
                labelled(pool("c", "10.0.3.0/24"), Map.of("tier", "gold")));
        List<L2Advertisement> ads = List.of(
                ad("by-both", adSpec(List.of("a", "b", "unknown"), List.of(labels("tier", "gold")), null, null, null)),
                ad("by-name", adOfPools("b")));
        Config config = Config.from(pools, ads);
        assertThat(config.pool("a").orElseThrow().l2Advertisements()).map(Advertisement::name).containsExactly("by-both");
        assertThat(config.pool("b").orElseThrow().l2Advertisements()).map(Advertisement::name)
                .containsExactly("by-both", "by-name");
        assertThat(config.pool("c").orElseThrow().l2Advertisements()).map(Advertisement::name).containsExactly("by-both");
    }

    @Test
    void compilesNodeSelectorsInterfacesAndServiceSelectors() throws ConfigException {
        Config config = Config.from(List.of(pool("p", "10.0.0.0/24")), List.of(
                ad("eth", adSpec(null, null, List.of(labels("zone", "a"), labels("zone", "b")), List.of("eth0", "eth1"),
                        List.of(labels("app", "web")))),
                ad("open", null)));
        List<Advertisement> ads = config.pools().get(0).l2Advertisements();
        Advertisement eth = ads.get(0);
        assertThat(eth.selectsNode(Map.of("zone", "b"))).isTrue();
        assertThat(eth.selectsNode(Map.of("zone", "c"))).isFalse();
        assertThat(eth.interfaces()).containsExactly("eth0", "eth1");
        assertThat(eth.allInterfaces()).isFalse();
        assertThat(eth.selectsService(Map.of("app", "web"))).isTrue();
        assertThat(eth.selectsService(Map.of())).isFalse();
        Advertisement open = ads.get(1);
        assertThat(open.selectsNode(Map.of())).isTrue();
        assertThat(open.allInterfaces()).isTrue();
        assertThat(open.selectsService(Map.of("anything", "x"))).isTrue();
    }

    @Test
    void scoresPreferredNodesOnlyAmongTheNodesTheAdvertisementAllows() throws ConfigException {
        Config config = Config.from(List.of(pool("p", "10.0.0.0/24")), List.of(ad("pref",
                preferring(List.of(labels("rack", "r1"), labels("rack", "r2")),
                        prefer(30, labels("ssd", "true")), prefer(50, labels("zone", "a"))))));
        Advertisement ad = config.pools().get(0).l2Advertisements().get(0);
        assertThat(ad.preferenceScore(Map.of("rack", "r1", "ssd", "true", "zone", "a"))).isEqualTo(80);
        assertThat(ad.preferenceScore(Map.of("rack", "r2", "zone", "a"))).isEqualTo(50);
        assertThat(ad.preferenceScore(Map.of("rack", "r2"))).isZero();
        assertThat(ad.preferenceScore(Map.of("rack", "r3", "ssd", "true", "zone", "a"))).isZero();
    }

    @Test
    void leavesTheInputObjectsUntouched() throws ConfigException {
        IPAddressPool raw = pool("p", allocation(null, null, null,
                List.of(expression("k", "In", "b", "a"))), "10.0.0.0/24");
        Config.from(List.of(raw), List.of());
        assertThat(raw.getSpec().serviceAllocation().serviceSelectors().get(0).matchExpressions().get(0).values())
                .containsExactly("b", "a");
    }
}
