package io.ferrolb.config;

import static io.ferrolb.config.Fixtures.ad;
import static io.ferrolb.config.Fixtures.adOfPools;
import static io.ferrolb.config.Fixtures.adSpec;
import static io.ferrolb.config.Fixtures.allocation;
import static io.ferrolb.config.Fixtures.expression;
import static io.ferrolb.config.Fixtures.expressions;
import static io.ferrolb.config.Fixtures.labels;
import static io.ferrolb.config.Fixtures.pool;
import static io.ferrolb.config.Fixtures.prefer;
import static io.ferrolb.config.Fixtures.preferring;
import static io.ferrolb.config.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.api.v1beta1.L2Advertisement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every configuration MetalLB rejects (docs/compatibility.md §2.8), with the object, field and message we report. */
class ConfigRejectionTest {

    record Case(String name, List<IPAddressPool> pools, List<L2Advertisement> ads,
                String kind, String object, String field, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
            new Case("bad CIDR", List.of(pool("p", "192.168.10.0/33")), List.of(),
                "IPAddressPool", "p", "spec.addresses[0]",
                "parsing address pool p: invalid CIDR \"192.168.10.0/33\" in pool \"p\": invalid CIDR \"192.168.10.0/33\""),
            new Case("not an address at all", List.of(pool("p", "10.0.0.0/24", "banana")), List.of(),
                "IPAddressPool", "p", "spec.addresses[1]",
                "parsing address pool p: invalid CIDR \"banana\" in pool \"p\": invalid CIDR \"banana\""),
            new Case("bare address without prefix", List.of(pool("p", "10.0.0.1")), List.of(),
                "IPAddressPool", "p", "spec.addresses[0]",
                "parsing address pool p: invalid CIDR \"10.0.0.1\" in pool \"p\": invalid CIDR \"10.0.0.1\""),
            new Case("bad range start", List.of(pool("p", "10.0.0.x-10.0.0.5")), List.of(),
                "IPAddressPool", "p", "spec.addresses[0]",
                "parsing address pool p: invalid CIDR \"10.0.0.x-10.0.0.5\" in pool \"p\": "
                    + "invalid IP range \"10.0.0.x-10.0.0.5\": invalid start IP \"10.0.0.x\""),
            new Case("bad range end keeps its spaces in the message", List.of(pool("p", "10.0.0.1 - nope ")), List.of(),
                "IPAddressPool", "p", "spec.addresses[0]",
                "parsing address pool p: invalid CIDR \"10.0.0.1 - nope \" in pool \"p\": "
                    + "invalid IP range \"10.0.0.1 - nope \": invalid end IP \" nope \""),
            new Case("reversed range", List.of(pool("p", "192.168.9.5-192.168.9.1")), List.of(),
                "IPAddressPool", "p", "spec.addresses[0]",
                "parsing address pool p: invalid CIDR \"192.168.9.5-192.168.9.1\" in pool \"p\": invalid IP range "
                    + "\"192.168.9.5-192.168.9.1\": start IP \"192.168.9.5\" is after the end IP \"192.168.9.1\""),
            new Case("range across families", List.of(pool("p", "10.0.0.1-fc00::1")), List.of(),
                "IPAddressPool", "p", "spec.addresses[0]",
                "parsing address pool p: invalid CIDR \"10.0.0.1-fc00::1\" in pool \"p\": invalid IP range "
                    + "\"10.0.0.1-fc00::1\": start IP \"10.0.0.1\" and end IP \"fc00::1\" are of different IP families"),
            new Case("empty addresses", List.of(pool("p")), List.of(),
                "IPAddressPool", "p", "spec.addresses", "parsing address pool p: pool has no prefixes defined"),
            new Case("no spec", List.of(new IPAddressPool(Fixtures.NS, "p", null)), List.of(),
                "IPAddressPool", "p", "spec.addresses", "parsing address pool p: pool has no prefixes defined"),
            new Case("missing name", List.of(pool(null, "10.0.0.0/24")), List.of(),
                "IPAddressPool", null, "metadata.name", "parsing address pool : missing pool name"),
            new Case("overlap within one pool", List.of(pool("p", "10.0.0.0/24", "10.0.0.128/25")), List.of(),
                "IPAddressPool", "p", "spec.addresses[1]",
                "CIDR \"10.0.0.128/25\" in pool \"p\" overlaps with already defined CIDR \"10.0.0.0/24\""),
            new Case("overlap of a range with a CIDR", List.of(pool("p", "10.0.0.0/30", "10.0.0.3-10.0.0.9")), List.of(),
                "IPAddressPool", "p", "spec.addresses[1]",
                "CIDR \"10.0.0.3/32\" in pool \"p\" overlaps with already defined CIDR \"10.0.0.0/30\""),
            new Case("overlap across pools, reported on the later name",
                List.of(pool("b", "fc00::/120"), pool("a", "fc00::10/124")), List.of(),
                "IPAddressPool", "b", "spec.addresses[0]",
                "CIDR \"fc00::/120\" in pool \"b\" overlaps with already defined CIDR \"fc00::10/124\""),
            new Case("host bits do not hide an overlap", List.of(pool("a", "10.0.0.5/24"), pool("b", "10.0.0.77/32")),
                List.of(), "IPAddressPool", "b", "spec.addresses[0]",
                "CIDR \"10.0.0.77/32\" in pool \"b\" overlaps with already defined CIDR \"10.0.0.0/24\""),
            new Case("duplicate pool name", List.of(pool("p", "10.0.0.0/24"), pool("p", "10.0.1.0/24")), List.of(),
                "IPAddressPool", "p", "metadata.name", "duplicate definition of pool \"p\""),
            new Case("duplicate namespace",
                List.of(pool("p", allocation(null, List.of("a", "b", "a"), null, null), "10.0.0.0/24")), List.of(),
                "IPAddressPool", "p", "spec.serviceAllocation.namespaces",
                "parsing address pool p: duplicate definition in namespaces field"),
            new Case("duplicate namespace selector",
                List.of(pool("p", allocation(1, null, List.of(labels("team", "x"), labels("team", "x")), null),
                    "10.0.0.0/24")), List.of(),
                "IPAddressPool", "p", "spec.serviceAllocation.namespaceSelectors",
                "parsing address pool p: duplicate definition of namespaceSelectors \"team=x\""),
            new Case("duplicate service selector, values compared sorted",
                List.of(pool("p", allocation(null, null, null,
                    List.of(expression("tier", "In", "b", "a"), expression("tier", "In", "a", "b"))), "10.0.0.0/24")),
                List.of(), "IPAddressPool", "p", "spec.serviceAllocation.serviceSelectors",
                "parsing address pool p: duplicate definition of serviceSelectors \"tier in (a,b)\""),
            new Case("duplicate value inside one expression",
                List.of(pool("p", allocation(null, null, null, List.of(expression("tier", "In", "a", "a"))),
                    "10.0.0.0/24")), List.of(),
                "IPAddressPool", "p", "spec.serviceAllocation.serviceSelectors",
                "parsing address pool p: duplicate definition of match expression value in label selector \"a\""),
            new Case("duplicate expression inside one selector",
                List.of(pool("p", allocation(null, null, List.of(expressions(req("k", "Exists"), req("k", "Exists"))),
                    null), "10.0.0.0/24")), List.of(),
                "IPAddressPool", "p", "spec.serviceAllocation.namespaceSelectors",
                "parsing address pool p: duplicate definition of match expressions \"k\""),
            new Case("invalid selector operator",
                List.of(pool("p", allocation(null, null, null, List.of(expression("k", "Equals", "v"))), "10.0.0.0/24")),
                List.of(), "IPAddressPool", "p", "spec.serviceAllocation.serviceSelectors",
                "parsing address pool p: invalid service label selector \"k Equals (v)\" in ip pool p: "
                    + "\"Equals\" is not a valid label selector operator"),
            new Case("In without values",
                List.of(pool("p", allocation(null, null, List.of(expression("k", "In")), null), "10.0.0.0/24")),
                List.of(), "IPAddressPool", "p", "spec.serviceAllocation.namespaceSelectors",
                "parsing address pool p: invalid namespace label selector \"k in ()\" in ip pool p: "
                    + "key \"k\": for 'In', 'NotIn' operators, values set can't be empty"),
            new Case("duplicate ipAddressPools",
                List.of(pool("p", "10.0.0.0/24")), List.of(ad("l2", adOfPools("p", "q", "p"))),
                "L2Advertisement", "l2", "spec.ipAddressPools", "duplicate definition of ipAddressPools \"p\""),
            new Case("duplicate ipAddressPoolSelectors",
                List.of(pool("p", "10.0.0.0/24")),
                List.of(ad("l2", adSpec(null, List.of(labels("a", "b"), labels("a", "b")), null, null, null))),
                "L2Advertisement", "l2", "spec.ipAddressPoolSelectors",
                "duplicate definition of ipAddressPoolSelectors \"a=b\""),
            new Case("duplicate nodeSelectors",
                List.of(pool("p", "10.0.0.0/24")),
                List.of(ad("l2", adSpec(null, null, List.of(labels("kubernetes.io/hostname", "n1"),
                    labels("kubernetes.io/hostname", "n1")), null, null))),
                "L2Advertisement", "l2", "spec.nodeSelectors",
                "duplicate definition of nodeSelectors \"kubernetes.io/hostname=n1\""),
            new Case("duplicate serviceSelectors",
                List.of(pool("p", "10.0.0.0/24")),
                List.of(ad("l2", adSpec(null, null, null, null, List.of(expression("app", "Exists"),
                    expression("app", "Exists"))))),
                "L2Advertisement", "l2", "spec.serviceSelectors", "duplicate definition of serviceSelectors \"app\""),
            new Case("invalid node selector key",
                List.of(pool("p", "10.0.0.0/24")),
                List.of(ad("l2", adSpec(null, null, List.of(labels("-bad", "x")), null, null))),
                "L2Advertisement", "l2", "spec.nodeSelectors",
                "failed to parse node selector for l2: invalid label selector \"-bad=x\": invalid label key \"-bad\": "
                    + "name part must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending "
                    + "with an alphanumeric character"),
            new Case("preference weight out of range",
                List.of(pool("p", "10.0.0.0/24")),
                List.of(ad("l2", preferring(null, prefer(0, labels("zone", "a"))))),
                "L2Advertisement", "l2", "spec.preferredNodeSelectors[0].weight",
                "failed to parse preferred node selectors for l2: weight 0 is not in the range 1-100"),
            new Case("invalid preference selector",
                List.of(pool("p", "10.0.0.0/24")),
                List.of(ad("l2", preferring(null, prefer(10, labels("zone", "a")), prefer(10, expression("z", "In"))))),
                "L2Advertisement", "l2", "spec.preferredNodeSelectors[1].preference",
                "failed to parse preferred node selectors for l2: invalid label selector \"z in ()\": "
                    + "key \"z\": for 'In', 'NotIn' operators, values set can't be empty"),
            new Case("invalid pool selector value",
                List.of(pool("p", "10.0.0.0/24")),
                List.of(ad("l2", adSpec(null, List.of(labels("a", "b c")), null, null, null))),
                "L2Advertisement", "l2", "spec.ipAddressPoolSelectors",
                "invalid label selector \"a=b c\": invalid label value \"b c\" for key \"a\": must be empty or at most "
                    + "63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character")
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejects(Case c) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.from(c.pools(), c.ads()));
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.getMessage()).isEqualTo(c.message());
        assertThat(e.kind()).isEqualTo(c.kind());
        assertThat(e.objectName()).isEqualTo(c.object());
        assertThat(e.field()).isEqualTo(c.field());
    }

    @ParameterizedTest(name = "describes object and field: {0}")
    @MethodSource("cases")
    void describesTheObjectAndField(Case c) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.from(c.pools(), c.ads()));
        assertThat(e.describe()).startsWith(c.kind() + " ").contains(" field " + c.field() + ": ")
                .endsWith(c.message());
    }

    @org.junit.jupiter.api.Test
    void deletingAPoolInUseIsNotAConfigError() {
        // The webhook allows deleting a pool whose addresses are assigned; the config without it parses.
        assertThat(catchThrowableOfType(ConfigException.class,
                () -> Config.from(List.of(), List.of(ad("l2", adOfPools("gone")))))).isNull();
    }

    @org.junit.jupiter.api.Test
    void nullSpecOfAPoolIsRejectedNotThrown() {
        IPAddressPool p = new IPAddressPool(Fixtures.NS, "p", new IPAddressPoolSpec(null, null, null, null));
        assertThat(catchThrowableOfType(ConfigException.class, () -> Config.from(List.of(p), List.of())))
                .hasMessage("parsing address pool p: pool has no prefixes defined");
    }
}
