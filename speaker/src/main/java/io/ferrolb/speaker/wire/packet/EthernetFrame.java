package io.ferrolb.speaker.wire.packet;

import java.util.Arrays;
import java.util.Optional;

/**
 * An Ethernet II frame without its frame check sequence: destination, source, EtherType and the
 * payload. {@link #encode()} pads to the 60-byte minimum (64 on the wire with the FCS the NIC
 * adds), because a veth does not pad and a short frame may be dropped by a strict switch or NIC.
 *
 * @param payload the bytes after the EtherType; the record does not copy it
 */
public record EthernetFrame(Mac destination, Mac source, int etherType, byte[] payload) {

    /** EtherType of ARP. */
    public static final int ARP = 0x0806;
    /** EtherType of IPv6. */
    public static final int IPV6 = 0x86DD;
    /** EtherType of IPv4. */
    public static final int IPV4 = 0x0800;
    /** Destination, source and EtherType. */
    public static final int HEADER = 14;
    /** The shortest frame Ethernet allows, without the 4-byte FCS. */
    public static final int MINIMUM = 60;

    /** Parses a captured frame; empty if it is shorter than a header. Trailing padding stays in the payload. */
    public static Optional<EthernetFrame> decode(byte[] frame) {
        if (frame == null || frame.length < HEADER) {
            return Optional.empty();
        }
        return Optional.of(new EthernetFrame(Mac.read(frame, 0), Mac.read(frame, 6), Bytes.u16(frame, 12),
                Arrays.copyOfRange(frame, HEADER, frame.length)));
    }

    /** The frame's bytes, zero-padded to {@link #MINIMUM}. */
    public byte[] encode() {
        byte[] out = new byte[Math.max(MINIMUM, HEADER + payload.length)];
        destination.write(out, 0);
        source.write(out, 6);
        Bytes.putU16(out, 12, etherType);
        System.arraycopy(payload, 0, out, HEADER, payload.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EthernetFrame f && destination.equals(f.destination) && source.equals(f.source)
                && etherType == f.etherType && Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * destination.hashCode() + source.hashCode()) + etherType) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "EthernetFrame[" + source + " > " + destination + " type=0x" + Integer.toHexString(etherType)
                + " length=" + payload.length + "]";
    }
}
