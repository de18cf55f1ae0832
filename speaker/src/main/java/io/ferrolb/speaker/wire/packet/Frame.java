package io.ferrolb.speaker.wire.packet;

import java.util.Optional;

/**
 * A captured frame, dissected as far as the wire cares: ARP, Neighbor Discovery, or something
 * else. {@link #parse} never throws: a malformed frame is {@link Other}, since whatever arrives on
 * the wire must not break the responder.
 */
public sealed interface Frame {

    /** The Ethernet destination. */
    Mac destination();

    /** The Ethernet source. */
    Mac source();

    /** An ARP packet in an Ethernet frame. */
    record Arp(Mac destination, Mac source, ArpPacket packet) implements Frame {
    }

    /** A Neighbor Solicitation or Advertisement in an IPv6 Ethernet frame. */
    record Ndp(Mac destination, Mac source, NdpPacket packet) implements Frame {
    }

    /** Anything else, including malformed ARP or ND. */
    record Other(Mac destination, Mac source, int etherType) implements Frame {
    }

    /** Dissects a captured frame; frames shorter than an Ethernet header are {@code Other} from and to zero. */
    static Frame parse(byte[] raw) {
        Optional<EthernetFrame> decoded = EthernetFrame.decode(raw);
        if (decoded.isEmpty()) {
            return new Other(Mac.ZERO, Mac.ZERO, -1);
        }
        EthernetFrame eth = decoded.get();
        if (eth.etherType() == EthernetFrame.ARP) {
            Optional<ArpPacket> arp = ArpPacket.decode(eth.payload());
            if (arp.isPresent()) {
                return new Arp(eth.destination(), eth.source(), arp.get());
            }
        } else if (eth.etherType() == EthernetFrame.IPV6) {
            Optional<NdpPacket> ndp = NdpPacket.decode(eth.payload());
            if (ndp.isPresent()) {
                return new Ndp(eth.destination(), eth.source(), ndp.get());
            }
        }
        return new Other(eth.destination(), eth.source(), eth.etherType());
    }
}
