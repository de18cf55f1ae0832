package io.ferrolb.speaker.wire.packet;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import io.ferrolb.speaker.wire.packet.NdpMessage.NeighborAdvertisement;
import io.ferrolb.speaker.wire.packet.NdpMessage.NeighborSolicitation;
import java.util.Arrays;
import java.util.Optional;

/**
 * A Neighbor Discovery message in its IPv6 packet: source, destination and hop limit of the IPv6
 * header (RFC 4861 requires 255, which proves the sender is on the link), and the message. Encoding
 * computes the ICMPv6 checksum over the pseudo-header (RFC 8200 §8.1); decoding verifies it.
 * Extension headers are not followed: Neighbor Discovery never needs them, and a packet with one is
 * not decoded.
 */
public record NdpPacket(IpAddress source, IpAddress destination, int hopLimit, NdpMessage message) {

    /** ff02::1, every node on the link. */
    public static final IpAddress ALL_NODES = IpAddress.ofV6(0xFF02_0000_0000_0000L, 1);
    /** The hop limit Neighbor Discovery messages are sent and accepted with. */
    public static final int HOP_LIMIT = 255;

    static final int IPV6_HEADER = 40;
    static final int ICMPV6 = 58;
    private static final int MESSAGE = 24;
    private static final int OPTION_SOURCE_LINK = 1;
    private static final int OPTION_TARGET_LINK = 2;
    private static final int FLAG_ROUTER = 0x80;
    private static final int FLAG_SOLICITED = 0x40;
    private static final int FLAG_OVERRIDE = 0x20;

    public NdpPacket {
        if (source.family() != IpFamily.IPV6 || destination.family() != IpFamily.IPV6) {
            throw new IllegalArgumentException("Neighbor Discovery runs over IPv6");
        }
    }

    /** ff02::1:ffXX:XXXX, the solicited-node group of an address (RFC 4291 §2.7.1). */
    public static IpAddress solicitedNode(IpAddress ip) {
        return IpAddress.ofV6(0xFF02_0000_0000_0000L, 0x0000_0001_FF00_0000L | (ip.low() & 0xFF_FFFFL));
    }

    /** A solicitation for {@code target} to its solicited-node group, with the asker's address option. */
    public static NdpPacket solicitation(IpAddress source, Mac sourceMac, IpAddress target) {
        return new NdpPacket(source, solicitedNode(target), HOP_LIMIT,
                new NeighborSolicitation(target, Optional.of(sourceMac)));
    }

    /**
     * The solicited answer to {@code solicitation} (docs/compatibility.md §3.6): from the target address itself,
     * as a host answers for its own address (tools such as ndisc6 accept nothing else), to the
     * asker, Solicited set, Override clear (so it does not evict a fresher entry), our MAC in the
     * target link-layer option.
     */
    public static NdpPacket answer(NdpPacket solicitation, Mac ourMac) {
        IpAddress target = solicitation.message().target();
        return new NdpPacket(target, solicitation.source(), HOP_LIMIT,
                new NeighborAdvertisement(false, true, false, target, Optional.of(ourMac)));
    }

    /**
     * The unsolicited advertisement of an announcement burst: from the announced address to
     * ff02::1, Override set, Solicited clear, as Linux announces an address of its own.
     */
    public static NdpPacket unsolicited(Mac ourMac, IpAddress target) {
        return new NdpPacket(target, ALL_NODES, HOP_LIMIT,
                new NeighborAdvertisement(false, false, true, target, Optional.of(ourMac)));
    }

    /** The IPv6 packet: fixed header, then the ICMPv6 message with its checksum. */
    public byte[] encode() {
        byte[] icmp = new byte[MESSAGE + 8];
        Optional<Mac> option;
        int optionType;
        if (message instanceof NeighborSolicitation ns) {
            icmp[0] = (byte) NdpMessage.SOLICITATION;
            option = ns.sourceLinkAddress();
            optionType = OPTION_SOURCE_LINK;
        } else {
            NeighborAdvertisement na = (NeighborAdvertisement) message;
            icmp[0] = (byte) NdpMessage.ADVERTISEMENT;
            icmp[4] = (byte) ((na.router() ? FLAG_ROUTER : 0) | (na.solicited() ? FLAG_SOLICITED : 0)
                    | (na.override() ? FLAG_OVERRIDE : 0));
            option = na.targetLinkAddress();
            optionType = OPTION_TARGET_LINK;
        }
        Bytes.putIp(icmp, 8, message.target());
        if (option.isPresent()) {
            icmp[MESSAGE] = (byte) optionType;
            icmp[MESSAGE + 1] = 1;
            option.get().write(icmp, MESSAGE + 2);
        } else {
            icmp = Arrays.copyOf(icmp, MESSAGE);
        }
        Bytes.putU16(icmp, 2, Icmpv6Checksum.compute(source, destination, icmp, 0, icmp.length));
        byte[] out = new byte[IPV6_HEADER + icmp.length];
        out[0] = 0x60;
        Bytes.putU16(out, 4, icmp.length);
        out[6] = (byte) ICMPV6;
        out[7] = (byte) hopLimit;
        Bytes.putIp(out, 8, source);
        Bytes.putIp(out, 24, destination);
        System.arraycopy(icmp, 0, out, IPV6_HEADER, icmp.length);
        return out;
    }

    /** The packet in an Ethernet frame from {@code sourceMac} to {@code destinationMac}. */
    public byte[] frame(Mac destinationMac, Mac sourceMac) {
        return new EthernetFrame(destinationMac, sourceMac, EthernetFrame.IPV6, encode()).encode();
    }

    /**
     * Parses an IPv6 packet (the payload of an IPv6 Ethernet frame, padding allowed); empty unless
     * it is a well-formed solicitation or advertisement with a correct checksum.
     */
    public static Optional<NdpPacket> decode(byte[] packet) {
        if (packet.length < IPV6_HEADER + MESSAGE || (packet[0] & 0xF0) != 0x60 || Bytes.u8(packet, 6) != ICMPV6) {
            return Optional.empty();
        }
        int length = Bytes.u16(packet, 4);
        if (length < MESSAGE || IPV6_HEADER + length > packet.length) {
            return Optional.empty();
        }
        IpAddress source = Bytes.ipv6(packet, 8);
        IpAddress destination = Bytes.ipv6(packet, 24);
        int type = Bytes.u8(packet, IPV6_HEADER);
        if ((type != NdpMessage.SOLICITATION && type != NdpMessage.ADVERTISEMENT) || packet[IPV6_HEADER + 1] != 0
                || Icmpv6Checksum.compute(source, destination, packet, IPV6_HEADER, length) != 0) {
            return Optional.empty();
        }
        IpAddress target = Bytes.ipv6(packet, IPV6_HEADER + 8);
        Optional<Optional<Mac>> link = linkOption(packet, IPV6_HEADER + MESSAGE, IPV6_HEADER + length,
                type == NdpMessage.SOLICITATION ? OPTION_SOURCE_LINK : OPTION_TARGET_LINK);
        if (link.isEmpty()) {
            return Optional.empty();
        }
        NdpMessage message;
        if (type == NdpMessage.SOLICITATION) {
            message = new NeighborSolicitation(target, link.get());
        } else {
            int flags = Bytes.u8(packet, IPV6_HEADER + 4);
            message = new NeighborAdvertisement((flags & FLAG_ROUTER) != 0, (flags & FLAG_SOLICITED) != 0,
                    (flags & FLAG_OVERRIDE) != 0, target, link.get());
        }
        return Optional.of(new NdpPacket(source, destination, Bytes.u8(packet, 7), message));
    }

    /** The link-layer address option of {@code wanted} type; outer empty if the options are malformed. */
    private static Optional<Optional<Mac>> linkOption(byte[] b, int from, int to, int wanted) {
        Optional<Mac> found = Optional.empty();
        int at = from;
        while (at + 2 <= to) {
            int len = Bytes.u8(b, at + 1) * 8;
            if (len == 0 || at + len > to) {
                return Optional.empty();
            }
            if (Bytes.u8(b, at) == wanted && len >= 2 + Mac.SIZE) {
                found = Optional.of(Mac.read(b, at + 2));
            }
            at += len;
        }
        return Optional.of(found);
    }
}
