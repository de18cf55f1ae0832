package io.ferrolb.speaker.wire;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.plan.Interfaces;
import java.util.List;
import java.util.Set;

/**
 * The speaker's seam towards the link layer: answer ARP/NDP for owned addresses and announce them
 * (gratuitous ARP, unsolicited NA). Several Services may own one address; it is owned while any
 * of them announces it.
 */
public interface Wire extends AutoCloseable {

    /**
     * Own the address for the Service on these interfaces. Calling it again for an address already
     * owned re-applies it and starts a new burst of announcements (docs/compatibility.md §3.7).
     *
     * @param takeover whether another speaker held the address until now (by this node's last view
     *     or the cluster's ServiceL2Status): only then may a foreign claim shortly after be that
     *     speaker finishing its handoff rather than a conflict
     */
    void announce(String service, IpAddress ip, Interfaces interfaces, boolean takeover);

    /** The Service no longer owns the address; stop answering once no Service does. */
    void withdraw(String service, IpAddress ip);

    /**
     * One address a Service announces, as {@link #announce} takes it.
     *
     * @param awaitRelease the previous owner is a live speaker (a move back to a restarted node, a
     *     node joining): answer only once it has stopped answering, so that no moment has two
     */
    record Claim(String service, IpAddress ip, Interfaces interfaces, boolean takeover, boolean awaitRelease) {
    }

    /** One address a Service no longer announces. */
    record Release(String service, IpAddress ip) {
    }

    /**
     * Announces a batch as one change: what this node answers for changes once, and the first
     * gratuitous announcements of all newly owned addresses leave together at once, so that a
     * takeover of hundreds of addresses costs no more than a few of them.
     */
    default void announceAll(List<Claim> claims) {
        claims.forEach(c -> announce(c.service(), c.ip(), c.interfaces(), c.takeover()));
    }

    /** Withdraws a batch as one change. */
    default void withdrawAll(List<Release> releases) {
        releases.forEach(r -> withdraw(r.service(), r.ip()));
    }

    /**
     * Stops answering for every address at once and for good, and ignores later claims: the speaker
     * is stopping, and its peers are about to take over. The default does nothing; the loop then
     * withdraws each address.
     */
    default void silence() {
    }

    /**
     * Addresses this node may soon claim in one batch, one set per departure planned ahead
     * (docs/design.md §7.6); replaces the sets given before. The wire may get ready for them, so
     * that such a claim costs no more than a claim of addresses already passed to it. The default
     * does nothing.
     */
    default void expect(List<Set<IpAddress>> batches) {
    }

    /** The node's interfaces that may carry announcements (up, broadcast, not enslaved, not excluded). */
    Set<String> interfaces();

    /** The eligible interfaces changed (a link went down or came up); the wire may rescan now. */
    default void linksChanged() {
    }

    @Override
    void close();
}
