package io.ferrolb.speaker.wire;

import io.ferrolb.net.IpAddress;

/**
 * Told when another machine claims an address this node announces: an ARP reply, a gratuitous
 * ARP or a Neighbor Advertisement for it from a MAC that is not ours (split brain, a rogue host, an
 * overlapping DHCP range). The wire calls it within a second of the frame, off its capture
 * threads, at most every ten seconds per (address, MAC); the speaker turns it into a Warning
 * event. The previous owner's frames during a handoff are not conflicts (see the wire's handoff
 * window).
 */
@FunctionalInterface
public interface ConflictListener {

    /**
     * @param ip         the owned address being claimed
     * @param foreignMac the claimant's MAC, lower case with colons
     * @param iface      the interface the claim arrived on
     */
    void conflict(IpAddress ip, String foreignMac, String iface);

    /** A listener that does nothing (the wire still logs and counts). */
    static ConflictListener none() {
        return (ip, mac, iface) -> {
        };
    }
}
