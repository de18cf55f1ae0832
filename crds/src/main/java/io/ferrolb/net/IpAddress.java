package io.ferrolb.net;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as a value. {@link #toString()} is Go's canonical text, the form
 * MetalLB hashes for the Layer-2 election and prints in messages; Java's
 * {@code Inet6Address.getHostAddress()} differs (no "::" compression, zone suffixes).
 */
public final class IpAddress implements Comparable<IpAddress> {

    private static final long V4_MASK = 0xFFFF_FFFFL;

    private final IpFamily family;
    private final long hi;
    private final long lo;

    private IpAddress(IpFamily family, long hi, long lo) {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
    }

    /**
     * Parses a literal as Go's {@code net.ParseIP} does: dotted-quad IPv4 without leading zeros,
     * IPv6 with at most one "::" and an optional trailing dotted quad, no zone. IPv4-mapped IPv6
     * text ({@code ::ffff:192.0.2.1}) is the IPv4 address, as in Go and Java.
     *
     * @throws AddressParseException if the text is not an IP literal
     */
    public static IpAddress parse(String text) {
        IpText.Raw raw = text == null ? null : IpText.parse(text);
        if (raw == null) {
            throw new AddressParseException("invalid IP address " + quote(text));
        }
        if (!raw.v6Notation() || raw.isV4Mapped()) {
            return ofV4(raw.lo() & V4_MASK);
        }
        return ofV6(raw.hi(), raw.lo());
    }

    /** True if {@link #parse} accepts the text. */
    public static boolean isValid(String text) {
        return text != null && IpText.parse(text) != null;
    }

    /** The IPv4 address with the given 32-bit value. */
    public static IpAddress ofV4(long value) {
        if ((value & ~V4_MASK) != 0) {
            throw new IllegalArgumentException("not a 32-bit value: " + value);
        }
        return new IpAddress(IpFamily.IPV4, 0, value);
    }

    /** The IPv6 address with the given upper and lower 64 bits. */
    public static IpAddress ofV6(long hi, long lo) {
        return new IpAddress(IpFamily.IPV6, hi, lo);
    }

    /** The address of a family from its unsigned value. */
    public static IpAddress of(IpFamily family, BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > family.bits()) {
            throw new IllegalArgumentException(value + " is out of range for " + family);
        }
        return family == IpFamily.IPV4
                ? ofV4(value.longValue())
                : ofV6(value.shiftRight(64).longValue(), value.longValue());
    }

    public IpFamily family() {
        return family;
    }

    /** The upper 64 bits; always 0 for IPv4. */
    public long high() {
        return hi;
    }

    /** The lower 64 bits; the whole value for IPv4. */
    public long low() {
        return lo;
    }

    /** The unsigned value. */
    public BigInteger toBigInteger() {
        BigInteger low = new BigInteger(Long.toUnsignedString(lo));
        return family == IpFamily.IPV4 ? low : new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).or(low);
    }

    /** The network-order bytes: 4 for IPv4, 16 for IPv6. */
    public byte[] toBytes() {
        int n = family.bits() / 8;
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int bitFromRight = 8 * (n - 1 - i);
            long word = bitFromRight >= 64 ? hi : lo;
            out[i] = (byte) (word >>> (bitFromRight % 64));
        }
        return out;
    }

    /** The next address, or empty past the family's last one. */
    public Optional<IpAddress> next() {
        if (family == IpFamily.IPV4) {
            return lo == V4_MASK ? Optional.empty() : Optional.of(ofV4(lo + 1));
        }
        if (lo == -1L) {
            return hi == -1L ? Optional.empty() : Optional.of(ofV6(hi + 1, 0));
        }
        return Optional.of(ofV6(hi, lo + 1));
    }

    /** This address with all bits past the first {@code prefixLength} cleared. */
    public IpAddress masked(int prefixLength) {
        checkPrefix(family, prefixLength);
        if (family == IpFamily.IPV4) {
            long mask = prefixLength == 0 ? 0 : (V4_MASK << (32 - prefixLength)) & V4_MASK;
            return ofV4(lo & mask);
        }
        return ofV6(hi & highMask(prefixLength), lo & lowMask(prefixLength));
    }

    /** This address with all bits past the first {@code prefixLength} set. */
    public IpAddress lastInPrefix(int prefixLength) {
        checkPrefix(family, prefixLength);
        if (family == IpFamily.IPV4) {
            long host = prefixLength == 32 ? 0 : V4_MASK >>> prefixLength;
            return ofV4(lo | host);
        }
        return ofV6(hi | ~highMask(prefixLength), lo | ~lowMask(prefixLength));
    }

    static void checkPrefix(IpFamily family, int prefixLength) {
        if (prefixLength < 0 || prefixLength > family.bits()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + family);
        }
    }

    private static long highMask(int prefixLength) {
        if (prefixLength >= 64) {
            return -1L;
        }
        return prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
    }

    private static long lowMask(int prefixLength) {
        if (prefixLength <= 64) {
            return 0;
        }
        return prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
    }

    /** Go's canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6. */
    @Override
    public String toString() {
        return family == IpFamily.IPV4 ? IpText.formatV4(lo) : IpText.formatV6(hi, lo);
    }

    /** IPv4 before IPv6, then by unsigned value. */
    @Override
    public int compareTo(IpAddress other) {
        int byFamily = family.compareTo(other.family);
        if (byFamily != 0) {
            return byFamily;
        }
        int byHigh = Long.compareUnsigned(hi, other.hi);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(lo, other.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && family == other.family && hi == other.hi && lo == other.lo;
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, hi, lo);
    }

    private static String quote(String text) {
        return GoQuote.quote(text == null ? "" : text);
    }
}
