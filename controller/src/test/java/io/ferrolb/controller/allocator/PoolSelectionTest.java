package io.ferrolb.controller.allocator;

import static io.ferrolb.controller.allocator.AllocatorTest.ips;
import static io.ferrolb.controller.allocator.AllocatorTest.ipsOf;
import static io.ferrolb.controller.allocator.Pools.labels;
import static io.ferrolb.controller.allocator.Pools.pool;
import static io.ferrolb.controller.allocator.Pools.restricted;
import static io.ferrolb.controller.allocator.Pools.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** serviceAllocation: pinning by namespace and service labels, priorities, fallbacks (docs/compatibility.md §2.3, §7 item 8). */
class PoolSelectionTest {

    @Test
    void theMatchingPoolWithTheLowestPositivePriorityWinsAndZeroComesAfterPositives() {
        Allocator a = new Allocator();
        a.setPools(set(
                restricted("prio0", 0, List.of("ns"), null, null, "10.0.0.0/24"),
                restricted("prio20", 20, List.of("ns"), null, null, "10.0.20.0/24"),
                restricted("prio10", 10, List.of("ns"), null, null, "10.0.10.0/24"),
                pool("open", "10.0.99.0/24")));
        assertThat(ipsOf(a.allocate(Svc.of("ns/a").info(), Family.IPV4))).isEqualTo("10.0.10.0");
        assertThat(a.pools().pinnedFor(Svc.of("ns/a").info())).extracting(io.ferrolb.config.Pool::name)
                .containsExactly("prio10", "prio20", "prio0");
    }

    @Test
    void pinnedPoolsAreTriedInOrderUntilOneHasRoom() {
        Allocator a = new Allocator();
        a.setPools(set(restricted("small", 1, List.of("ns"), null, null, "10.0.0.0/32"),
                restricted("big", 2, List.of("ns"), null, null, "10.0.1.0/24")));
        assertThat(ipsOf(a.allocate(Svc.of("ns/a").info(), Family.IPV4))).isEqualTo("10.0.0.0");
        assertThat(ipsOf(a.allocate(Svc.of("ns/b").info(), Family.IPV4))).isEqualTo("10.0.1.0");
    }

    @Test
    void aServiceOutsideTheRestrictionFallsBackToUnrestrictedPoolsOnly() {
        Allocator a = new Allocator();
        a.setPools(set(restricted("team", 1, List.of("team-a"), null, null, "10.0.0.0/24"),
                pool("open", "10.0.1.0/24")));
        assertThat(ipsOf(a.allocate(Svc.of("team-a/x").info(), Family.IPV4))).isEqualTo("10.0.0.0");
        assertThat(ipsOf(a.allocate(Svc.of("other/y").info(), Family.IPV4))).isEqualTo("10.0.1.0");
    }

    @Test
    void aRestrictedPoolIsNeverAFallbackAndANonMatchingExplicitRequestStaysPending() {
        Allocator a = new Allocator();
        a.setPools(set(restricted("team", 1, List.of("team-a"), null, null, "10.0.0.0/24")));
        assertThat(ipsOf(a.allocate(Svc.of("other/y").info(), Family.IPV4))).isEqualTo("failed: no available IPs");
        assertThat(ipsOf(a.assign(Svc.of("other/y").info(), ips("10.0.0.5"))))
                .isEqualTo("failed: pool team not compatible for ip assignment");
        assertThat(ipsOf(a.allocateFromPool(Svc.of("other/y").info(), Family.IPV4, "team")))
                .isEqualTo("failed: pool team not compatible for ip assignment");
    }

    @Test
    void serviceSelectorsPinByServiceLabels() {
        Allocator a = new Allocator();
        a.setPools(set(restricted("web", 5, null, null, List.of(labels("tier", "web")), "10.0.0.0/24"),
                pool("open", "10.0.1.0/24")));
        assertThat(ipsOf(a.allocate(Svc.of("ns/a").labels(Map.of("tier", "web")).info(), Family.IPV4)))
                .isEqualTo("10.0.0.0");
        assertThat(ipsOf(a.allocate(Svc.of("ns/b").labels(Map.of("tier", "db")).info(), Family.IPV4)))
                .isEqualTo("10.0.1.0");
    }

    @Test
    void namespacesAndServiceSelectorsMustBothHold() {
        Allocator a = new Allocator();
        a.setPools(set(restricted("both", 5, List.of("ns"), null, List.of(labels("tier", "web")), "10.0.0.0/24")));
        assertThat(ipsOf(a.allocate(Svc.of("ns/a").labels(Map.of("tier", "web")).info(), Family.IPV4)))
                .isEqualTo("10.0.0.0");
        assertThat(ipsOf(a.allocate(Svc.of("ns/b").labels(Map.of("tier", "db")).info(), Family.IPV4)))
                .isEqualTo("failed: no available IPs");
        assertThat(ipsOf(a.allocate(Svc.of("other/c").labels(Map.of("tier", "web")).info(), Family.IPV4)))
                .isEqualTo("failed: no available IPs");
    }

    @Test
    void namespaceSelectorsFollowNamespaceLabels() {
        Allocator a = new Allocator();
        a.setPools(set(Map.of("red-1", Map.of("team", "red"), "blue-1", Map.of("team", "blue")),
                restricted("red", 1, null, List.of(labels("team", "red")), null, "10.0.0.0/24"),
                pool("open", "10.0.1.0/24")));
        assertThat(ipsOf(a.allocate(Svc.of("red-1/a").info(), Family.IPV4))).isEqualTo("10.0.0.0");
        assertThat(ipsOf(a.allocate(Svc.of("blue-1/b").info(), Family.IPV4))).isEqualTo("10.0.1.0");
    }

    @Test
    void anAllocationWithoutRestrictionsPinsEveryServiceAndIsNotAFallback() {
        Allocator a = new Allocator();
        a.setPools(set(restricted("everyone", 3, null, null, null, "10.0.0.0/32"), pool("open", "10.0.1.0/24")));
        assertThat(ipsOf(a.allocate(Svc.of("x/a").info(), Family.IPV4))).isEqualTo("10.0.0.0");
        assertThat(ipsOf(a.allocate(Svc.of("y/b").info(), Family.IPV4))).isEqualTo("10.0.1.0");
    }

    @Test
    void aNamespaceSelectorMatchingNothingPinsNobodyButRestrictsNoExplicitRequest() {
        Allocator a = new Allocator();
        a.setPools(set(Map.of("plain", Map.of()),
                restricted("ghost", 1, null, List.of(labels("team", "none")), null, "10.0.0.0/24")));
        assertThat(ipsOf(a.allocate(Svc.of("plain/a").info(), Family.IPV4))).isEqualTo("failed: no available IPs");
        assertThat(ipsOf(a.allocateFromPool(Svc.of("plain/a").info(), Family.IPV4, "ghost"))).isEqualTo("10.0.0.0");
    }

    @Test
    void autoAssignFalseIsNeverPinned() {
        Allocator a = new Allocator();
        io.ferrolb.api.v1beta1.IPAddressPool manualPinned = new io.ferrolb.api.v1beta1.IPAddressPool("metallb-system",
                "manual", new io.ferrolb.api.v1beta1.IPAddressPoolSpec(List.of("10.0.0.0/24"), false, null,
                new io.ferrolb.api.v1beta1.ServiceAllocation(1, List.of("ns"), null, null)));
        a.setPools(set(manualPinned, pool("open", "10.0.1.0/24")));
        assertThat(ipsOf(a.allocate(Svc.of("ns/a").info(), Family.IPV4))).isEqualTo("10.0.1.0");
    }
}
