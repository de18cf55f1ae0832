package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.wire.Wire;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Addresses taken over from a speaker that is still alive (it restarted and wins them back, or a
 * node joined), which this node claims only once the previous owner has stopped answering: until
 * then both would answer, and a client's ARP cache would follow whichever replied last. Each such
 * address is probed with an ARP request every {@link #PROBE_NANOS}; after {@link #SILENT_PROBES}
 * probes in a row without a foreign answer the claim goes ahead, and after {@link #GIVE_UP_NANOS}
 * it goes ahead anyway (a previous owner that keeps answering that long is a conflict, reported as
 * one). The previous owner releases as soon as its own view shows the new member, which is what the
 * wait buys time for.
 *
 * <p>Pure and not thread-safe: the wire's worker thread owns it and passes the time in.
 */
final class HandoverProbes {

    static final long PROBE_NANOS = 25_000_000L;
    static final int SILENT_PROBES = 2;
    static final long GIVE_UP_NANOS = 3_000_000_000L;

    /** What one tick asks for: claims to make now, and addresses to probe now. */
    record Step(List<Wire.Claim> ready, List<Wire.Claim> probe, List<Wire.Claim> gaveUp) {
    }

    private static final class Waiting {
        final Wire.Claim claim;
        final long since;
        long lastProbe = Long.MIN_VALUE;
        /** Another MAC answered since the last probe. */
        boolean answered;
        int silent;

        Waiting(Wire.Claim claim, long since) {
            this.claim = claim;
            this.since = since;
        }
    }

    private final Map<IpAddress, Waiting> waiting = new LinkedHashMap<>();

    /** Starts waiting for the address's previous owner to go quiet (a later claim of it replaces this one). */
    void await(Wire.Claim claim, long now) {
        waiting.put(claim.ip(), new Waiting(claim, now));
    }

    /** Another MAC answered for the address. */
    void answered(IpAddress ip, long now) {
        Waiting w = waiting.get(ip);
        if (w != null) {
            w.answered = true;
        }
    }

    /** The address is no longer wanted here. */
    void cancel(IpAddress ip) {
        waiting.remove(ip);
    }

    boolean waitingFor(IpAddress ip) {
        return waiting.containsKey(ip);
    }

    java.util.Set<IpAddress> addresses() {
        return java.util.Set.copyOf(waiting.keySet());
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    Step tick(long now) {
        List<Wire.Claim> ready = new ArrayList<>();
        List<Wire.Claim> probe = new ArrayList<>();
        List<Wire.Claim> gaveUp = new ArrayList<>();
        for (var it = waiting.values().iterator(); it.hasNext();) {
            Waiting w = it.next();
            if (w.lastProbe == Long.MIN_VALUE) {
                w.lastProbe = now;
                w.answered = false;
                probe.add(w.claim);
                continue;
            }
            if (now - w.lastProbe < PROBE_NANOS) {
                continue;
            }
            w.silent = w.answered ? 0 : w.silent + 1;
            if (w.silent >= SILENT_PROBES) {
                ready.add(w.claim);
                it.remove();
            } else if (now - w.since >= GIVE_UP_NANOS) {
                gaveUp.add(w.claim);
                it.remove();
            } else {
                w.lastProbe = now;
                w.answered = false;
                probe.add(w.claim);
            }
        }
        return new Step(ready, probe, gaveUp);
    }
}
