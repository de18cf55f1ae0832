package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * When to send announcement bursts, as MetalLB's {@code spamLoop} in
 * {@code internal/layer2/announcer.go} does (docs/compatibility.md §3.7). Every trigger opens (or
 * extends) a window of five seconds for its address; a trigger for an address not in its window bursts at once; a
 * ticker shared by all addresses bursts every address still in its window every 1.1 s (just over
 * the kernel's one-second ARP {@code locktime}) and stops when no window is open. A ticker that
 * starts with the trigger thus gives exactly five bursts (0, 1.1, 2.2, 3.3, 4.4 s); a trigger that
 * joins a running ticker gets five or six. With a refresh interval, an owned address that has not
 * burst for that long bursts once more (the opt-in periodic GARP of MetalLB PR #3125).
 *
 * <p>Pure and single-threaded: time comes from the injected clock, in nanoseconds; the caller
 * sends the bursts and comes back at {@link #nextDeadline()}.
 */
final class AnnounceSchedule {

    static final long TICK_NANOS = 1_100_000_000L;
    static final long WINDOW_NANOS = 5_000_000_000L;

    private final LongSupplier clock;
    private final long refreshNanos;
    private final Map<IpAddress, Long> windows = new LinkedHashMap<>();
    private final Set<IpAddress> owned = new LinkedHashSet<>();
    private final Map<IpAddress, Long> lastBurst = new HashMap<>();
    private boolean ticking;
    private long nextTick;

    /** @param refreshNanos the periodic refresh interval, 0 for none (MetalLB's default) */
    AnnounceSchedule(LongSupplier clock, long refreshNanos) {
        if (refreshNanos < 0) {
            throw new IllegalArgumentException("negative refresh interval");
        }
        this.clock = clock;
        this.refreshNanos = refreshNanos;
    }

    /**
     * The address was announced (again): opens or extends its window. True if a burst is due at
     * once, that is, unless the address is already inside an open window.
     */
    boolean trigger(IpAddress ip) {
        long now = clock.getAsLong();
        owned.add(ip);
        Long until = windows.get(ip);
        boolean burstNow = until == null || now - until > 0;
        windows.put(ip, now + WINDOW_NANOS);
        if (!ticking) {
            ticking = true;
            nextTick = now + TICK_NANOS;
        }
        if (burstNow) {
            lastBurst.put(ip, now);
        }
        return burstNow;
    }

    /** The address is no longer announced: no further bursts, at once. */
    void cancel(IpAddress ip) {
        owned.remove(ip);
        windows.remove(ip);
        lastBurst.remove(ip);
    }

    /**
     * The addresses to burst now: those in their window at a due tick, and those due a refresh.
     * Closes expired windows; a late caller skips the ticks it missed instead of bursting twice.
     */
    List<IpAddress> due() {
        long now = clock.getAsLong();
        Set<IpAddress> out = new LinkedHashSet<>();
        if (ticking && now - nextTick >= 0) {
            windows.entrySet().removeIf(w -> now - w.getValue() > 0);
            out.addAll(windows.keySet());
            nextTick += TICK_NANOS * ((now - nextTick) / TICK_NANOS + 1);
            ticking = !windows.isEmpty();
        }
        if (refreshNanos > 0) {
            for (IpAddress ip : owned) {
                if (now - lastBurst.getOrDefault(ip, now) >= refreshNanos) {
                    out.add(ip);
                }
            }
        }
        out.forEach(ip -> lastBurst.put(ip, now));
        return new ArrayList<>(out);
    }

    /** When {@link #due()} has something to do next, on the injected clock; empty when idle. */
    OptionalLong nextDeadline() {
        long next = Long.MAX_VALUE;
        boolean any = false;
        if (ticking) {
            next = nextTick;
            any = true;
        }
        if (refreshNanos > 0) {
            for (IpAddress ip : owned) {
                long at = lastBurst.getOrDefault(ip, clock.getAsLong()) + refreshNanos;
                next = any ? (at - next < 0 ? at : next) : at;
                any = true;
            }
        }
        return any ? OptionalLong.of(next) : OptionalLong.empty();
    }

    /** True while the address is inside its window. */
    boolean inWindow(IpAddress ip) {
        Long until = windows.get(ip);
        return until != null && clock.getAsLong() - until <= 0;
    }
}
