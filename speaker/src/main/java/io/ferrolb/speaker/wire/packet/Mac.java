package io.ferrolb.speaker.wire.packet;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;

/**
 * A 48-bit Ethernet address as a value: equal when the bits are equal, printed lower case with
 * colons ({@code 02:00:5e:10:00:01}) as {@code ip link} and MetalLB print it.
 */
public record Mac(long bits) {

    /** The all-ones broadcast address. */
    public static final Mac BROADCAST = new Mac(0xFFFF_FFFF_FFFFL);
    /** The all-zero address, the "unknown" target hardware address of an ARP request. */
    public static final Mac ZERO = new Mac(0);
    /** The size of an Ethernet address in bytes. */
    public static final int SIZE = 6;

    public Mac {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("not a 48-bit value: " + Long.toHexString(bits));
        }
    }

    /** The address in the six bytes at {@code offset}. */
    public static Mac read(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 0; i < SIZE; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xFF);
        }
        return new Mac(v);
    }

    /** The address from exactly six bytes. */
    public static Mac of(byte[] bytes) {
        if (bytes == null || bytes.length != SIZE) {
            throw new IllegalArgumentException("an Ethernet address has 6 bytes");
        }
        return read(bytes, 0);
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with dashes), either case. */
    public static Mac parse(String text) {
        String[] parts = text.strip().split("[:-]");
        if (parts.length != SIZE) {
            throw new IllegalArgumentException("not an Ethernet address: " + text);
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw new IllegalArgumentException("not an Ethernet address: " + text);
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return new Mac(v);
    }

    /**
     * The multicast Ethernet address an IPv6 multicast group maps to (RFC 2464 §7): 33:33 and the
     * group's last four bytes.
     */
    public static Mac ipv6Multicast(IpAddress group) {
        if (group.family() != IpFamily.IPV6) {
            throw new IllegalArgumentException("not an IPv6 address: " + group);
        }
        return new Mac(0x3333_0000_0000L | (group.low() & 0xFFFF_FFFFL));
    }

    /** Writes the six bytes at {@code offset}. */
    public void write(byte[] bytes, int offset) {
        for (int i = 0; i < SIZE; i++) {
            bytes[offset + i] = (byte) (bits >>> (8 * (SIZE - 1 - i)));
        }
    }

    public byte[] toBytes() {
        byte[] out = new byte[SIZE];
        write(out, 0);
        return out;
    }

    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    /** The group bit: broadcast and multicast destinations. */
    public boolean isMulticast() {
        return (bits & 0x0100_0000_0000L) != 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < SIZE; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int b = (int) (bits >>> (8 * (SIZE - 1 - i))) & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
