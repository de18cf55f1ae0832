package io.ferrolb.speaker.wire.packet;

import io.ferrolb.net.IpAddress;

/** Network-order reads and writes shared by the codecs. */
final class Bytes {

    private Bytes() {
    }

    static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static void putU16(byte[] b, int off, int value) {
        b[off] = (byte) (value >>> 8);
        b[off + 1] = (byte) value;
    }

    static long u64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static IpAddress ipv4(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return IpAddress.ofV4(v);
    }

    static IpAddress ipv6(byte[] b, int off) {
        return IpAddress.ofV6(u64(b, off), u64(b, off + 8));
    }

    static void putIp(byte[] b, int off, IpAddress ip) {
        byte[] raw = ip.toBytes();
        System.arraycopy(raw, 0, b, off, raw.length);
    }
}
