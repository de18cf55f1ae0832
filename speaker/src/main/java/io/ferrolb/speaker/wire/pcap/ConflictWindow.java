package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.wire.packet.Mac;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which foreign claims on an owned address are conflicts worth reporting (docs/design.md §10).
 *
 * <p><b>The handoff window.</b> For {@link #HANDOFF_NANOS three seconds} after this node takes
 * an address over from another speaker, claims from <em>one</em> foreign MAC are taken for the
 * previous owner finishing its handoff and are not reported; the first foreign MAC seen in the
 * window is that owner, and a second, different MAC inside the window is reported at once. An
 * address no other speaker held (a new Service, or one nobody announced) has no window: any
 * foreign claim on it is a rogue host or a split brain, reported at once. Three seconds covers what a
 * well-behaved previous owner may still send after losing the address: a reply already in flight,
 * answers during a make-before-break drain (docs/design.md §7.3: about two gossip intervals, or
 * until our GARP is seen), one more tick of its own 1.1 s announcement ticker if its withdrawal
 * lags our acquisition, and the membership's dissemination delay (tens of milliseconds for a
 * graceful leave, under a second after a crash with the tuned timers), with margin for a loaded
 * two-core node. It is deliberately far shorter than a real split brain (seconds to minutes, the
 * cold-start case of docs/design.md §14.3 lasted up to 5 s): a previous owner still claiming the
 * address after the window is reported on its next frame, as is any foreign claim once the window
 * has passed. Our own frames never get here (the responder drops every frame from our MACs).
 *
 * <p><b>The other side of a handoff.</b> The previous owner may see its successor's GARP a few
 * milliseconds before its own plan catches up. So the wire confirms a conflict {@link
 * #CONFIRM_NANOS half a second} after the claim: it reports only if it still owns the address
 * (and has not re-acquired it meanwhile), which keeps a report within a second of the frame.
 *
 * <p>A reported (address, MAC) pair is reported again at most every {@link #REPEAT_NANOS ten
 * seconds}, so a rogue host answering every request yields one event per ten seconds rather than
 * one per frame. Pure and not thread-safe: the wire serialises calls and passes the time in.
 */
final class ConflictWindow {

    static final long HANDOFF_NANOS = 3_000_000_000L;
    static final long REPEAT_NANOS = 10_000_000_000L;
    static final long CONFIRM_NANOS = 500_000_000L;

    /** @param handoff whether a previous owner may still be finishing its handoff */
    private record Held(long acquiredAt, boolean handoff, Mac previousOwner, Map<Mac, Long> reportedAt) {
    }

    private final long handoffNanos;
    private final long repeatNanos;
    private final Map<IpAddress, Held> held = new HashMap<>();

    ConflictWindow() {
        this(HANDOFF_NANOS, REPEAT_NANOS);
    }

    ConflictWindow(long handoffNanos, long repeatNanos) {
        this.handoffNanos = handoffNanos;
        this.repeatNanos = repeatNanos;
    }

    /**
     * The node started owning the address (it did not own it before); {@code takeover} when another
     * speaker held it until now.
     */
    void acquired(IpAddress ip, long now, boolean takeover) {
        held.put(ip, new Held(now, takeover, null, new HashMap<>()));
    }

    /** When the node acquired the address (to tell a later re-acquisition apart), or null if it does not own it. */
    Long heldSince(IpAddress ip) {
        Held h = held.get(ip);
        return h == null ? null : h.acquiredAt();
    }

    /** The node stopped owning the address. */
    void released(IpAddress ip) {
        held.remove(ip);
    }

    /**
     * A foreign MAC claims the address: the conflict to report now, or empty when it is the
     * previous owner inside the handoff window, was reported recently, or the address is not ours.
     */
    Optional<Mac> claim(IpAddress ip, Mac foreign, long now) {
        Held h = held.get(ip);
        if (h == null) {
            return Optional.empty();
        }
        if (h.handoff() && now - h.acquiredAt() < handoffNanos) {
            if (h.previousOwner() == null) {
                held.put(ip, new Held(h.acquiredAt(), true, foreign, h.reportedAt()));
                return Optional.empty();
            }
            if (h.previousOwner().equals(foreign)) {
                return Optional.empty();
            }
        }
        Long last = h.reportedAt().get(foreign);
        if (last != null && now - last < repeatNanos) {
            return Optional.empty();
        }
        h.reportedAt().put(foreign, now);
        return Optional.of(foreign);
    }
}
