package io.ferrolb.speaker.membership;

import java.time.Duration;

/**
 * How much this speaker can trust its own failure detector right now, the idea behind memberlist's
 * "Lifeguard" local health: a process that is itself late (a full CPU, a GC pause, a JVM still
 * compiling its code in the first seconds) misses the acknowledgements of live peers and then
 * declares them dead. While unhealthy, the membership holds such removals for a while instead of
 * acting at once; a peer SWIM re-adds meanwhile never leaves the view.
 *
 * <p>Fed by a ticker that should fire every {@link #TICK}; a tick that comes late by more than
 * {@code tolerance} marks the process unhealthy for {@code memory}. Pure: the caller passes the time.
 */
final class LocalHealth {

    static final Duration TICK = Duration.ofMillis(50);
    /** How long a speaker counts as unhealthy after it starts, whatever its ticks say. */
    static final Duration WARMUP = Duration.ofSeconds(15);

    private final long startedAt;
    private final long warmupNanos;
    private final long toleranceNanos;
    private final long memoryNanos;
    private long lastLateAt = Long.MIN_VALUE;
    private long worstRecentLateness;

    /**
     * @param warmup    how long after start the process counts as unhealthy anyway (class loading, JIT)
     * @param tolerance how late a tick may be without counting
     * @param memory    how long a late tick keeps the process unhealthy
     */
    LocalHealth(long startedAt, Duration warmup, Duration tolerance, Duration memory) {
        this.startedAt = startedAt;
        this.warmupNanos = warmup.toNanos();
        this.toleranceNanos = tolerance.toNanos();
        this.memoryNanos = memory.toNanos();
    }

    static LocalHealth defaults(long startedAt) {
        return new LocalHealth(startedAt, WARMUP, Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    /** A tick that was due at {@code dueAt} ran at {@code now}. */
    synchronized void tick(long dueAt, long now) {
        long late = now - dueAt;
        if (late > toleranceNanos) {
            if (now - lastLateAt >= memoryNanos) {
                worstRecentLateness = 0;
            }
            lastLateAt = now;
            worstRecentLateness = Math.max(worstRecentLateness, late);
        }
    }

    /** True while warming up or after a recent late tick. */
    synchronized boolean unhealthy(long now) {
        return now - startedAt < warmupNanos || (lastLateAt != Long.MIN_VALUE && now - lastLateAt < memoryNanos);
    }

    /** The worst lateness remembered, for the log line that explains a held removal. */
    synchronized Duration worstRecentLateness() {
        return Duration.ofNanos(worstRecentLateness);
    }
}
