package io.ferrolb.controller.allocator;

import static io.ferrolb.controller.allocator.AllocatorTest.ips;
import static io.ferrolb.controller.allocator.AllocatorTest.ipsOf;
import static io.ferrolb.controller.allocator.Pools.allocator;
import static io.ferrolb.controller.allocator.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** metallb.io/allow-shared-ip (docs/compatibility.md §2.5, §7 item 9). */
class SharingTest {

    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of("same key, disjoint ports, both Cluster", Svc.of("ns/a").tcp(80).shared("k"),
                        Svc.of("ns/b").tcp(443).shared("k"), "1.2.3.4"),
                Arguments.of("TCP/53 and UDP/53 share", Svc.of("ns/a").tcp(53).shared("k"),
                        Svc.of("ns/b").udp(53).shared("k"), "1.2.3.4"),
                Arguments.of("overlapping port", Svc.of("ns/a").tcp(80).shared("k"),
                        Svc.of("ns/b").tcp(80).tcp(81).shared("k"),
                        "failed: port TCP/80 is already in use on \"1.2.3.4\""),
                Arguments.of("different keys", Svc.of("ns/a").tcp(80).shared("k1"),
                        Svc.of("ns/b").tcp(443).shared("k2"),
                        "failed: can't change sharing key for \"ns/b\", address also in use by ns/a"),
                Arguments.of("first does not allow sharing", Svc.of("ns/a").tcp(80),
                        Svc.of("ns/b").tcp(443).shared("k"),
                        "failed: can't change sharing key for \"ns/b\", address also in use by ns/a"),
                Arguments.of("second does not allow sharing", Svc.of("ns/a").tcp(80).shared("k"),
                        Svc.of("ns/b").tcp(443),
                        "failed: can't change sharing key for \"ns/b\", address also in use by ns/a"),
                Arguments.of("Local and Local with the same selector", Svc.of("ns/a").tcp(80).shared("k").local("app=x"),
                        Svc.of("ns/b").tcp(443).shared("k").local("app=x"), "1.2.3.4"),
                Arguments.of("Local and Local with other selectors", Svc.of("ns/a").tcp(80).shared("k").local("app=x"),
                        Svc.of("ns/b").tcp(443).shared("k").local("app=y"),
                        "failed: can't change sharing key for \"ns/b\", address also in use by ns/a"),
                Arguments.of("Local and Cluster", Svc.of("ns/a").tcp(80).shared("k").local("app=x"),
                        Svc.of("ns/b").tcp(443).shared("k"),
                        "failed: can't change sharing key for \"ns/b\", address also in use by ns/a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void sharesOnlyWhenKeysBackendsAndPortsAllow(String name, Svc first, Svc second, String expected) {
        Allocator a = allocator(pool("p", "1.2.3.0/24"));
        assertThat(ipsOf(a.assign(first.info(), ips("1.2.3.4")))).isEqualTo("1.2.3.4");
        assertThat(ipsOf(a.assign(second.info(), ips("1.2.3.4")))).isEqualTo(expected);
    }

    @Test
    void automaticAllocationPlacesAKeyedServiceOnTheLowestShareableAddress() {
        Allocator a = allocator(pool("p", "1.2.3.0/24"));
        a.allocate(Svc.of("ns/a").tcp(80).shared("k").info(), Family.IPV4);
        a.allocate(Svc.of("ns/b").tcp(80).info(), Family.IPV4);
        assertThat(ipsOf(a.allocate(Svc.of("ns/c").tcp(443).shared("k").info(), Family.IPV4))).isEqualTo("1.2.3.0");
        assertThat(ipsOf(a.allocate(Svc.of("ns/d").tcp(80).shared("k").info(), Family.IPV4))).isEqualTo("1.2.3.2");
    }

    @Test
    void theOnlyHolderMayChangeItsOwnSharingKey() {
        Allocator a = allocator(pool("p", "1.2.3.0/24"));
        a.assign(Svc.of("ns/a").tcp(80).info(), ips("1.2.3.4"));
        assertThat(ipsOf(a.assign(Svc.of("ns/a").tcp(80).shared("new").info(), ips("1.2.3.4")))).isEqualTo("1.2.3.4");
        assertThat(a.allocationKey("ns/a")).isEqualTo("new");
    }

    @Test
    void freeingOneSharerKeepsTheAddressForTheOther() {
        Allocator a = allocator(pool("p", "1.2.3.4/32"));
        a.assign(Svc.of("ns/a").tcp(80).shared("k").info(), ips("1.2.3.4"));
        a.assign(Svc.of("ns/b").tcp(443).shared("k").info(), ips("1.2.3.4"));
        a.unassign("ns/a");
        assertThat(ipsOf(a.allocate(Svc.of("ns/c").tcp(22).info(), Family.IPV4))).isEqualTo("failed: no available IPs");
        assertThat(ipsOf(a.assign(Svc.of("ns/d").tcp(80).shared("k").info(), ips("1.2.3.4")))).isEqualTo("1.2.3.4");
    }
}
