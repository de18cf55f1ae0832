package io.ferrolb.speaker.membership;

import java.time.Duration;
import java.util.List;

/**
 * The timers of scalecube's SWIM implementation (failure detector, suspicion, gossip, anti-entropy
 * sync), in milliseconds where scalecube takes milliseconds.
 *
 * <p>A crashed member is removed after roughly one probe round plus the suspicion timeout, which
 * scalecube computes as {@code suspicionMult × bitLength(tableSize) × pingInterval} (2 for 2–3
 * members, 3 for 4–7, 4 for 8–15). {@link #ferrolb()} is the default; the measurements behind it are
 * in {@code docs/benchmarks.md}, section "Speaker membership (SWIM)".
 *
 * @param pingInterval how often every member probes one other member
 * @param pingTimeout how long a direct probe waits for its ack before asking others to probe
 * @param pingReqMembers how many other members probe on our behalf when the direct probe fails
 * @param suspicionMult the suspicion-timeout multiplier (time a suspect gets to refute)
 * @param gossipInterval how often gossip (suspect, leave, alive) is pushed
 * @param gossipFanout how many members each gossip round goes to
 * @param gossipRepeatMult how many rounds (× bitLength(n)) a gossip is repeated
 * @param syncInterval full-table anti-entropy sync with one random seed or member
 * @param syncTimeout how long the initial sync at start waits for answers
 * @param metadataTimeout how long adding a member may wait for its metadata
 * @param connectTimeout TCP connect timeout of the transport
 */
public record SwimTimers(
        Duration pingInterval,
        Duration pingTimeout,
        int pingReqMembers,
        int suspicionMult,
        Duration gossipInterval,
        int gossipFanout,
        int gossipRepeatMult,
        Duration syncInterval,
        Duration syncTimeout,
        Duration metadataTimeout,
        Duration connectTimeout) {

    public SwimTimers {
        positive("pingInterval", pingInterval);
        positive("pingTimeout", pingTimeout);
        positive("gossipInterval", gossipInterval);
        positive("syncInterval", syncInterval);
        positive("syncTimeout", syncTimeout);
        positive("metadataTimeout", metadataTimeout);
        positive("connectTimeout", connectTimeout);
        // scalecube sends the indirect probes only while pingInterval - pingTimeout > 0.
        if (pingTimeout.compareTo(pingInterval) >= 0) {
            throw new IllegalArgumentException("pingTimeout " + pingTimeout.toMillis()
                    + " ms must be shorter than pingInterval " + pingInterval.toMillis() + " ms");
        }
        if (pingReqMembers < 0) {
            throw new IllegalArgumentException("pingReqMembers must be >= 0, got " + pingReqMembers);
        }
        if (suspicionMult < 1) {
            throw new IllegalArgumentException("suspicionMult must be >= 1, got " + suspicionMult);
        }
        if (gossipFanout < 1 || gossipRepeatMult < 1) {
            throw new IllegalArgumentException("gossipFanout and gossipRepeatMult must be >= 1");
        }
        if (pingInterval.toMillis() > Integer.MAX_VALUE || syncInterval.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timers must fit in an int of milliseconds");
        }
    }

    /** The failure-detector settings by name, as {@code --failure-detector} and the chart take them. */
    public static final List<String> NAMES = List.of("ferrolb", "scalecube-defaults", "aggressive");

    /** The timers of a name in {@link #NAMES}. */
    public static SwimTimers named(String name) {
        return switch (name) {
            case "ferrolb" -> ferrolb();
            case "scalecube-defaults" -> scalecubeDefaults();
            case "aggressive" -> aggressive();
            default -> throw new IllegalArgumentException("unknown failure detector \"" + name + "\"; expected one of "
                    + String.join(", ", NAMES));
        };
    }

    /**
     * ferrolb's default for a LAN: a crashed speaker leaves a 3-member view after 0.82 s (p50; 0.97 s
     * max), about 1.1 s with 4–7 members; a graceful leave after ~50 ms; no live member was dropped
     * in 6 minutes of oversubscribed CPU where the 100 ms profiles dropped some.
     */
    public static SwimTimers ferrolb() {
        return new SwimTimers(ms(150), ms(75), 2, 2, ms(50), 3, 3, ms(1000), ms(2000), ms(1000), ms(1000));
    }

    /** scalecube-cluster 2.7.7's own defaults (LAN preset), kept for comparison. */
    public static SwimTimers scalecubeDefaults() {
        return new SwimTimers(ms(1000), ms(500), 3, 5, ms(200), 3, 3, ms(30_000), ms(3000), ms(3000), ms(3000));
    }

    /** 0.3 s crash detection but a 200 ms suspicion window: flaps under CPU load; for comparison only. */
    public static SwimTimers aggressive() {
        return new SwimTimers(ms(100), ms(50), 2, 1, ms(30), 3, 3, ms(1000), ms(2000), ms(1000), ms(500));
    }

    /** Suspicion timeout scalecube applies when its membership table (self included) has {@code tableSize} entries. */
    public Duration suspicionTimeout(int tableSize) {
        int bitLength = 32 - Integer.numberOfLeadingZeros(Math.max(tableSize, 0));
        return pingInterval.multipliedBy((long) suspicionMult * bitLength);
    }

    /**
     * How long SWIM takes to declare a silent member dead in a table of {@code tableSize} entries:
     * one probe interval plus the suspicion timeout.
     */
    public Duration detectionTime(int tableSize) {
        return pingInterval.plus(suspicionTimeout(tableSize));
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
