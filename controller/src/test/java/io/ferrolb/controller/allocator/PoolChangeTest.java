package io.ferrolb.controller.allocator;

import static io.ferrolb.controller.allocator.AllocatorTest.ips;
import static io.ferrolb.controller.allocator.AllocatorTest.ipsOf;
import static io.ferrolb.controller.allocator.Pools.pool;
import static io.ferrolb.controller.allocator.Pools.restricted;
import static io.ferrolb.controller.allocator.Pools.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Re-validation against changed pools (docs/compatibility.md §2.6, §7 item 12). */
class PoolChangeTest {

    @Test
    void deletingAPoolDropsItsAllocationsAndReportsItsCounters() {
        Allocator a = new Allocator();
        a.setPools(set(pool("a", "10.0.0.0/24"), pool("b", "10.0.1.0/24")));
        a.assign(Svc.of("ns/x").info(), ips("10.0.0.1"));
        assertThat(a.setPools(set(pool("b", "10.0.1.0/24")))).containsExactly("a", "b");
        assertThat(a.pool("ns/x")).isNull();
        assertThat(ipsOf(a.assign(Svc.of("ns/x").info(), ips("10.0.0.1"))))
                .isEqualTo("failed: [\"10.0.0.1\"] is not allowed in config");
        assertThat(ipsOf(a.allocate(Svc.of("ns/x").info(), Family.IPV4))).isEqualTo("10.0.1.0");
    }

    @Test
    void anAddressThatMovesToAnotherPoolFollowsIt() {
        Allocator a = new Allocator();
        a.setPools(set(pool("old", "10.0.0.0/24")));
        a.assign(Svc.of("ns/x").info(), ips("10.0.0.1"));
        a.setPools(set(pool("new", "10.0.0.0/16")));
        assertThat(a.pool("ns/x")).isEqualTo("new");
        assertThat(a.counters("new").assignedIPv4()).isEqualTo(1);
    }

    @Test
    void aPoolThatNoLongerAdmitsTheServiceFailsItsRevalidation() {
        Allocator a = new Allocator();
        a.setPools(set(pool("p", "10.0.0.0/24")));
        a.assign(Svc.of("ns/x").info(), ips("10.0.0.1"));
        a.setPools(set(restricted("p", 1, List.of("other"), null, null, "10.0.0.0/24")));
        assertThat(ipsOf(a.assign(Svc.of("ns/x").info(), ips("10.0.0.1"))))
                .isEqualTo("failed: pool p not compatible for ip assignment");
    }

    @Test
    void becomingAvoidBuggyInvalidatesDotZero() {
        Allocator a = new Allocator();
        a.setPools(set(pool("p", "10.0.0.0/24")));
        a.assign(Svc.of("ns/x").info(), ips("10.0.0.0"));
        a.setPools(set(Pools.avoidBuggy("p", "10.0.0.0/24")));
        assertThat(a.pool("ns/x")).isNull();
    }
}
