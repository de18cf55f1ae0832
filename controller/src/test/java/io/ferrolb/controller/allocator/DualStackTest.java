package io.ferrolb.controller.allocator;

import static io.ferrolb.controller.allocator.AllocatorTest.ips;
import static io.ferrolb.controller.allocator.AllocatorTest.ipsOf;
import static io.ferrolb.controller.allocator.Pools.allocator;
import static io.ferrolb.controller.allocator.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.net.IpFamily;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Families and policies (docs/compatibility.md §2.3 table, §7 item 10). */
class DualStackTest {

    static Stream<Arguments> cases() {
        IPAddressPool dual = pool("dual", "10.0.0.0/24", "fc00::/120");
        IPAddressPool v4 = pool("v4", "10.0.1.0/24");
        IPAddressPool v6 = pool("v6", "fc01::/120");
        return Stream.of(
                Arguments.of("v4 Service gets v4 only", List.of(dual), Family.IPV4, FamilyPolicy.SINGLE_STACK,
                        IpFamily.IPV4, "10.0.0.0"),
                Arguments.of("v6 Service gets v6 only", List.of(dual), Family.IPV6, FamilyPolicy.SINGLE_STACK,
                        IpFamily.IPV6, "fc00::"),
                Arguments.of("v4 PreferDualStack single-stack Service gets one v4", List.of(dual), Family.IPV4,
                        FamilyPolicy.PREFER_DUAL_STACK, IpFamily.IPV4, "10.0.0.0"),
                Arguments.of("RequireDualStack on a dual pool: v4 then v6", List.of(dual), Family.DUAL,
                        FamilyPolicy.REQUIRE_DUAL_STACK, IpFamily.IPV4, "10.0.0.0,fc00::"),
                Arguments.of("RequireDualStack, v6 primary: still v4 first", List.of(dual), Family.DUAL,
                        FamilyPolicy.REQUIRE_DUAL_STACK, IpFamily.IPV6, "10.0.0.0,fc00::"),
                Arguments.of("RequireDualStack with single-family pools fails", List.of(v4, v6), Family.DUAL,
                        FamilyPolicy.REQUIRE_DUAL_STACK, IpFamily.IPV4, "failed: no available IPs"),
                Arguments.of("PreferDualStack takes both from a dual pool", List.of(v4, dual), Family.DUAL,
                        FamilyPolicy.PREFER_DUAL_STACK, IpFamily.IPV4, "10.0.0.0,fc00::"),
                Arguments.of("PreferDualStack, single-family pools, IPv6 first: a single v6", List.of(v4, v6),
                        Family.DUAL, FamilyPolicy.PREFER_DUAL_STACK, IpFamily.IPV6, "fc01::"),
                Arguments.of("PreferDualStack, single-family pools, IPv4 first: a single v4", List.of(v4, v6),
                        Family.DUAL, FamilyPolicy.PREFER_DUAL_STACK, IpFamily.IPV4, "10.0.1.0"),
                Arguments.of("PreferDualStack settles for the secondary family", List.of(v6), Family.DUAL,
                        FamilyPolicy.PREFER_DUAL_STACK, IpFamily.IPV4, "fc01::"),
                Arguments.of("dual Service with SingleStack policy cannot be served", List.of(dual), Family.DUAL,
                        FamilyPolicy.SINGLE_STACK, IpFamily.IPV4, "failed: no available IPs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void allocatesByFamilyAndPolicy(String name, List<IPAddressPool> pools, Family family, FamilyPolicy policy,
                                    IpFamily primary, String expected) {
        Allocator a = allocator(pools.toArray(IPAddressPool[]::new));
        assertThat(ipsOf(a.allocate(Svc.of("ns/a").policy(policy, primary).info(), family))).isEqualTo(expected);
    }

    @Test
    void requestingFromAPoolChecksTheFamily() {
        Allocator a = allocator(pool("v4", "10.0.1.0/24"));
        assertThat(ipsOf(a.allocateFromPool(Svc.of("ns/a").policy(FamilyPolicy.SINGLE_STACK, IpFamily.IPV6).info(),
                Family.IPV6, "v4"))).isEqualTo("failed: no available IPs in pool v4 for ipv6 IPFamily");
    }

    @Test
    void theMissingFamilyIsAddedFromTheSamePoolOnly() {
        Allocator a = allocator(pool("v4", "10.0.1.0/24"), pool("v6", "fc01::/120"));
        Svc svc = Svc.of("ns/a").policy(FamilyPolicy.PREFER_DUAL_STACK, IpFamily.IPV4);
        a.assign(svc.info(), ips("10.0.1.5"));
        assertThat(ipsOf(a.allocateAdditionalFamily(svc.info(), io.ferrolb.net.IpAddress.parse("10.0.1.5"), "v4")))
                .isEqualTo("failed: no available IPs in pool v4 for ipv6 IPFamily");
        assertThat(a.ips("ns/a")).extracting(Object::toString).containsExactly("10.0.1.5");

        Allocator dual = allocator(pool("dual", "10.0.0.0/24", "fc00::/120"));
        dual.assign(svc.info(), ips("10.0.0.5"));
        assertThat(ipsOf(dual.allocateAdditionalFamily(svc.info(), io.ferrolb.net.IpAddress.parse("10.0.0.5"),
                "dual"))).isEqualTo("fc00::");
        assertThat(dual.ips("ns/a")).extracting(Object::toString).containsExactly("10.0.0.5", "fc00::");
    }

    @Test
    void aWrongFamilyHeldAddressIsRefusedForAPoolRequest() {
        Allocator a = allocator(pool("dual", "10.0.0.0/24", "fc00::/120"));
        Svc svc = Svc.of("ns/a");
        a.assign(svc.info(), ips("10.0.0.5"));
        assertThat(ipsOf(a.allocateFromPool(svc.info(), Family.IPV6, "dual")))
                .isEqualTo("failed: IP for wrong family assigned alloc ipv4 service family ipv6");
    }
}
