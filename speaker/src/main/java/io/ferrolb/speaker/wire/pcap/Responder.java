package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import io.ferrolb.speaker.plan.Interfaces;
import io.ferrolb.speaker.wire.packet.ArpPacket;
import io.ferrolb.speaker.wire.packet.Frame;
import io.ferrolb.speaker.wire.packet.Mac;
import io.ferrolb.speaker.wire.packet.NdpMessage.NeighborAdvertisement;
import io.ferrolb.speaker.wire.packet.NdpMessage.NeighborSolicitation;
import io.ferrolb.speaker.wire.packet.NdpPacket;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What to do with one frame received on one interface (docs/compatibility.md §3.5, §3.6): answer it, note a
 * foreign claim on an owned address, or nothing. Pure: the caller sends, counts and reports.
 */
final class Responder {

    /**
     * The receiving interface: its name, MAC and IPv6 link-local address. NDP is answered only on
     * interfaces that have one (docs/compatibility.md §3.6): without it the interface does not do IPv6.
     */
    record Port(String name, Mac mac, Optional<IpAddress> linkLocal) {
    }

    /** The decision for one frame. */
    sealed interface Outcome {
    }

    /** Nothing to do. */
    record Ignore() implements Outcome {
    }

    /** Send {@code frame} out of the receiving interface; it answers a request for {@code ip}. */
    record Answer(IpAddress ip, byte[] frame) implements Outcome {
    }

    /** A MAC that is not ours says it has {@code ip}, which we own on this interface. */
    record Claim(IpAddress ip, Mac foreign) implements Outcome {
    }

    private static final Outcome IGNORE = new Ignore();

    private Responder() {
    }

    /**
     * Decides for a frame captured at {@code capturedMicros} (wall clock). {@code ours} tells this
     * node's MACs (all interfaces: a frame we sent on one interface may come back on another bridged
     * to it). A frame about an address captured before we owned it is ignored
     * ({@link Ownership#ownedWhenCaptured}).
     */
    static Outcome decide(Port port, Frame frame, Ownership owned, Predicate<Mac> ours, long capturedMicros) {
        if (ours.test(frame.source())) {
            return IGNORE;
        }
        Outcome outcome = IGNORE;
        if (frame instanceof Frame.Arp arp) {
            outcome = arp(port, arp, owned, ours);
        } else if (frame instanceof Frame.Ndp ndp) {
            outcome = ndp(port, ndp, owned, ours);
        }
        IpAddress about = outcome instanceof Answer a ? a.ip() : outcome instanceof Claim c ? c.ip() : null;
        return about == null || owned.ownedWhenCaptured(about, capturedMicros) ? outcome : IGNORE;
    }

    private static Outcome arp(Port port, Frame.Arp frame, Ownership owned, Predicate<Mac> ours) {
        ArpPacket arp = frame.packet();
        if (ours.test(arp.senderMac())) {
            return IGNORE;
        }
        if (owned.owns(arp.senderIp(), port.name())) {
            // A reply, a gratuitous ARP, or a request from a host using our address.
            return new Claim(arp.senderIp(), arp.senderMac());
        }
        if (arp.operation() != ArpPacket.REQUEST || !forUs(port, frame.destination())
                || !owned.owns(arp.targetIp(), port.name())) {
            return IGNORE;
        }
        return new Answer(arp.targetIp(), ArpPacket.replyTo(arp, port.mac()).frame(arp.senderMac(), port.mac()));
    }

    private static Outcome ndp(Port port, Frame.Ndp frame, Ownership owned, Predicate<Mac> ours) {
        NdpPacket packet = frame.packet();
        if (packet.hopLimit() != NdpPacket.HOP_LIMIT) {
            return IGNORE; // RFC 4861 §7.1: not from the link
        }
        if (packet.message() instanceof NeighborAdvertisement na) {
            Mac claimant = na.targetLinkAddress().orElse(frame.source());
            return owned.owns(na.target(), port.name()) && !ours.test(claimant)
                    ? new Claim(na.target(), claimant) : IGNORE;
        }
        NeighborSolicitation ns = (NeighborSolicitation) packet.message();
        if (owned.owns(packet.source(), port.name())) {
            return new Claim(packet.source(), ns.sourceLinkAddress().orElse(frame.source()));
        }
        if (ns.sourceLinkAddress().isEmpty() || port.linkLocal().isEmpty()
                || !(frame.destination().isMulticast() || frame.destination().equals(port.mac()))
                || !owned.owns(ns.target(), port.name()) || isUnspecified(packet.source())) {
            return IGNORE;
        }
        return new Answer(ns.target(), NdpPacket.answer(packet, port.mac())
                .frame(ns.sourceLinkAddress().get(), port.mac()));
    }

    /**
     * Runs the codecs and the responder once on made-up frames, so that class loading and the first
     * compilation (about 100 ms, docs/design.md §14.4) do not delay the first answer or burst.
     */
    static void warmUp() {
        Mac mac = new Mac(0x0200_0000_0001L);
        IpAddress v4 = IpAddress.ofV4(0xC612_0001L);
        IpAddress v6 = IpAddress.ofV6(0xFD00_0000_0000_0000L, 1);
        Ownership owned = Ownership.EMPTY.with("warm-up", v4, Interfaces.all()).with("warm-up", v6, Interfaces.all());
        Responder.Port port = new Responder.Port("warm-up", mac, Optional.of(v6));
        for (byte[] frame : List.of(ArpPacket.request(new Mac(2), v4, v4).frame(Mac.BROADCAST, new Mac(2)),
                ArpPacket.gratuitous(ArpPacket.REPLY, mac, v4).frame(Mac.BROADCAST, mac),
                NdpPacket.solicitation(v6, new Mac(2), v6).frame(Mac.ipv6Multicast(NdpPacket.solicitedNode(v6)),
                        new Mac(2)),
                NdpPacket.unsolicited(mac, v6).frame(Mac.ipv6Multicast(NdpPacket.ALL_NODES), mac))) {
            Responder.decide(port, Frame.parse(frame), owned, mac::equals, Long.MAX_VALUE);
        }
    }

    /** Broadcast or this interface's MAC: MetalLB's rule, so a promiscuous interface does not answer for others. */
    private static boolean forUs(Port port, Mac destination) {
        return destination.isBroadcast() || destination.equals(port.mac());
    }

    private static boolean isUnspecified(IpAddress ip) {
        return ip.family() == IpFamily.IPV6 && ip.high() == 0 && ip.low() == 0;
    }
}
