package io.ferrolb.speaker.wire.packet;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.Optional;

/**
 * An ARP packet for IPv4 over Ethernet (RFC 826): operation, sender and target hardware and
 * protocol addresses. Only the 28-byte Ethernet/IPv4 form is decoded; anything else is not ours
 * to answer.
 */
public record ArpPacket(int operation, Mac senderMac, IpAddress senderIp, Mac targetMac, IpAddress targetIp) {

    /** Operation code of a request ("who-has"). */
    public static final int REQUEST = 1;
    /** Operation code of a reply ("is-at"). */
    public static final int REPLY = 2;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;

    private static final int HTYPE_ETHERNET = 1;

    public ArpPacket {
        if (senderIp.family() != IpFamily.IPV4 || targetIp.family() != IpFamily.IPV4) {
            throw new IllegalArgumentException("ARP carries IPv4 addresses");
        }
    }

    /** A plain request: who has {@code targetIp}? Tell {@code senderIp}. */
    public static ArpPacket request(Mac senderMac, IpAddress senderIp, IpAddress targetIp) {
        return new ArpPacket(REQUEST, senderMac, senderIp, Mac.ZERO, targetIp);
    }

    /**
     * The answer to {@code request} from the owner of its target address: sender = (our MAC, the
     * requested address), target = the requester's hardware and protocol addresses.
     */
    public static ArpPacket replyTo(ArpPacket request, Mac ourMac) {
        return new ArpPacket(REPLY, ourMac, request.targetIp(), request.senderMac(), request.senderIp());
    }

    /**
     * The two gratuitous forms sent on every announcement (docs/compatibility.md §3.7): sender and target protocol
     * address are both the announced address, the target hardware address is broadcast. Linux
     * clients take the request form as gratuitous whatever {@code arp_accept} says; some other
     * stacks only listen to replies, hence both.
     */
    public static ArpPacket gratuitous(int operation, Mac ourMac, IpAddress ip) {
        return new ArpPacket(operation, ourMac, ip, Mac.BROADCAST, ip);
    }

    /** Parses the payload of an ARP frame; empty unless it is Ethernet/IPv4 ARP of a known operation. */
    public static Optional<ArpPacket> decode(byte[] payload) {
        if (payload.length < LENGTH || Bytes.u16(payload, 0) != HTYPE_ETHERNET
                || Bytes.u16(payload, 2) != EthernetFrame.IPV4 || Bytes.u8(payload, 4) != Mac.SIZE
                || Bytes.u8(payload, 5) != 4) {
            return Optional.empty();
        }
        int op = Bytes.u16(payload, 6);
        if (op != REQUEST && op != REPLY) {
            return Optional.empty();
        }
        return Optional.of(new ArpPacket(op, Mac.read(payload, 8), Bytes.ipv4(payload, 14), Mac.read(payload, 18),
                Bytes.ipv4(payload, 24)));
    }

    /** The 28 bytes of the packet. */
    public byte[] encode() {
        byte[] out = new byte[LENGTH];
        Bytes.putU16(out, 0, HTYPE_ETHERNET);
        Bytes.putU16(out, 2, EthernetFrame.IPV4);
        out[4] = Mac.SIZE;
        out[5] = 4;
        Bytes.putU16(out, 6, operation);
        senderMac.write(out, 8);
        Bytes.putIp(out, 14, senderIp);
        targetMac.write(out, 18);
        Bytes.putIp(out, 24, targetIp);
        return out;
    }

    /** True for the gratuitous form: the sender announces its own address. */
    public boolean isGratuitous() {
        return senderIp.equals(targetIp);
    }

    /** The packet in an Ethernet frame from {@code source} to {@code destination}, padded. */
    public byte[] frame(Mac destination, Mac source) {
        return new EthernetFrame(destination, source, EthernetFrame.ARP, encode()).encode();
    }
}
