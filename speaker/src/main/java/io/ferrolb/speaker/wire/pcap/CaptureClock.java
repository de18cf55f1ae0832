package io.ferrolb.speaker.wire.pcap;

import java.time.Instant;

/**
 * The clock the kernel stamps captured frames with (wall clock), in microseconds: what a claim's
 * moment and a frame's capture time are compared in.
 */
public final class CaptureClock {

    private CaptureClock() {
    }

    /** {@code at} in wall-clock microseconds. */
    public static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    }

    /** Now, in wall-clock microseconds. */
    public static long now() {
        return micros(Instant.now());
    }
}
