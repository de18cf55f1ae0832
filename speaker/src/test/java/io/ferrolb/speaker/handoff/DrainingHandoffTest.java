package io.ferrolb.speaker.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferrolb.net.IpAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DrainingHandoffTest {

    private static final List<IpAddress> IPS = List.of(IpAddress.parse("198.18.0.200"));
    private static final List<PortMapping> PORTS = List.of(new PortMapping("TCP", 80, 30080));

    /** Records what reaches the real handoff. */
    static final class Recording implements Handoff {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void install(String service, List<IpAddress> ips, List<PortMapping> ports) {
            calls.add("install " + service);
        }

        @Override
        public void remove(String service) {
            calls.add("remove " + service);
        }

        /** How many changes reached the real handoff (a batch is one). */
        final java.util.concurrent.atomic.AtomicInteger applies = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void apply(java.util.Map<String, Target> install, java.util.Set<String> remove) {
            applies.incrementAndGet();
            Handoff.super.apply(install, remove);
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void removalWaitsForTheGracePeriod() {
        Recording real = new Recording();
        DrainingHandoff handoff = new DrainingHandoff(real, Duration.ofMillis(300));
        handoff.install("ns/a", IPS, PORTS);
        handoff.remove("ns/a");
        assertThat(real.calls).containsExactly("install ns/a");
        await().atMost(Duration.ofSeconds(5)).until(() -> real.calls.contains("remove ns/a"));
        handoff.close();
        assertThat(real.calls).containsExactly("install ns/a", "remove ns/a", "close");
    }

    @Test
    void installingAgainWithinTheGraceCancelsTheRemoval() throws Exception {
        Recording real = new Recording();
        DrainingHandoff handoff = new DrainingHandoff(real, Duration.ofMillis(200));
        handoff.install("ns/a", IPS, PORTS);
        handoff.remove("ns/a");
        handoff.install("ns/a", IPS, PORTS);
        // A second Service's removal, due after the first one's would have been, proves time passed.
        handoff.install("ns/b", IPS, PORTS);
        handoff.remove("ns/b");
        await().atMost(Duration.ofSeconds(5)).until(() -> real.calls.contains("remove ns/b"));
        assertThat(real.calls).doesNotContain("remove ns/a");
        handoff.close();
    }

    @Test
    void closeKeepsTheRulesForTheGraceOfTheLastRelease() {
        Recording real = new Recording();
        DrainingHandoff handoff = new DrainingHandoff(real, Duration.ofMillis(400));
        handoff.install("ns/a", IPS, PORTS);
        // Read before the release: the grace runs from it, so a test thread delayed after it cannot
        // make the wait look short.
        long t0 = System.nanoTime();
        handoff.remove("ns/a");
        handoff.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(real.calls).endsWith("close");
    }

    @Test
    void aNewServiceOnADrainingAddressEndsTheDrainFirst() {
        Recording real = new Recording();
        DrainingHandoff handoff = new DrainingHandoff(real, Duration.ofSeconds(30));
        handoff.install("ns/old", IPS, PORTS);
        handoff.install("ns/elsewhere", List.of(IpAddress.parse("198.18.0.201")), PORTS);
        handoff.remove("ns/old");
        handoff.remove("ns/elsewhere");
        handoff.install("ns/new", IPS, List.of(new PortMapping("TCP", 80, 31000)));
        assertThat(real.calls).containsExactly("install ns/old", "install ns/elsewhere", "remove ns/old",
                "install ns/new");
    }

    @Test
    void zeroGraceRemovesAtOnce() {
        Recording real = new Recording();
        DrainingHandoff handoff = new DrainingHandoff(real, Duration.ZERO);
        handoff.install("ns/a", IPS, PORTS);
        handoff.remove("ns/a");
        assertThat(real.calls).containsExactly("install ns/a", "remove ns/a");
        handoff.close();
    }

    @Test
    void aReleaseOfHundredsDrainsAsOneChange() {
        Recording real = new Recording();
        DrainingHandoff handoff = new DrainingHandoff(real, Duration.ofMillis(300));
        java.util.Map<String, Handoff.Target> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            many.put("ns/s" + i, new Handoff.Target(List.of(IpAddress.parse("198.18.4." + (i % 250))), PORTS));
        }
        handoff.apply(many, java.util.Set.of());
        handoff.apply(java.util.Map.of(), many.keySet());
        await().atMost(Duration.ofSeconds(5)).until(() -> real.calls.stream().filter(c -> c.startsWith("remove"))
                .count() == 300);
        // the install batch, the (empty) release, and one drain for all 300
        assertThat(real.applies.get()).isEqualTo(3);
        handoff.close();
    }
}
