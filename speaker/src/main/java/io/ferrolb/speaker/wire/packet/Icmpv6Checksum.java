package io.ferrolb.speaker.wire.packet;

import io.ferrolb.net.IpAddress;

/**
 * The Internet checksum of an ICMPv6 message over the IPv6 pseudo-header (RFC 8200 §8.1, RFC 4443
 * §2.3). Over a message whose checksum field is filled in, the result is 0 when it is correct.
 */
public final class Icmpv6Checksum {

    private Icmpv6Checksum() {
    }

    /** The checksum of {@code length} bytes of {@code message} at {@code offset}, sent from source to destination. */
    public static int compute(IpAddress source, IpAddress destination, byte[] message, int offset, int length) {
        long sum = 0;
        sum += sum16(source.toBytes(), 0, 16);
        sum += sum16(destination.toBytes(), 0, 16);
        sum += (length >>> 16) + (length & 0xFFFF);
        sum += NdpPacket.ICMPV6;
        sum += sum16(message, offset, length);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static long sum16(byte[] b, int offset, int length) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += ((b[offset + i] & 0xFF) << 8) | (b[offset + i + 1] & 0xFF);
        }
        if (i < length) {
            sum += (b[offset + i] & 0xFF) << 8;
        }
        return sum;
    }
}
