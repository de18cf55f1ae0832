package io.ferrolb.net;

import java.math.BigInteger;

/**
 * An IP prefix: a network address with its host bits clear and a prefix length. {@link #parse}
 * follows Go's {@code net.ParseCIDR}, which MetalLB uses for pool addresses: host bits in the
 * text are accepted and cleared ({@code 192.168.1.10/24} is {@code 192.168.1.0/24}).
 */
public record Cidr(IpAddress network, int prefixLength) implements Comparable<Cidr> {

    public Cidr {
        IpAddress.checkPrefix(network.family(), prefixLength);
        if (!network.masked(prefixLength).equals(network)) {
            throw new IllegalArgumentException(network + "/" + prefixLength + " has host bits set");
        }
    }

    /** The prefix of the given length containing the address. */
    public static Cidr containing(IpAddress address, int prefixLength) {
        return new Cidr(address.masked(prefixLength), prefixLength);
    }

    /**
     * Parses {@code address/length}: the address as {@link IpAddress#parse}, the length as
     * decimal digits (leading zeros allowed, as in Go) up to the family's width. An IPv4-mapped
     * IPv6 address with a length of 96 or more is the IPv4 prefix it maps.
     *
     * @throws AddressParseException with the message {@code invalid CIDR "<text>"}
     */
    public static Cidr parse(String text) {
        Cidr parsed = text == null ? null : tryParse(text);
        if (parsed == null) {
            throw new AddressParseException("invalid CIDR " + GoQuote.quote(text == null ? "" : text));
        }
        return parsed;
    }

    private static Cidr tryParse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return null;
        }
        IpText.Raw raw = IpText.parse(text.substring(0, slash));
        String digits = text.substring(slash + 1);
        if (raw == null || digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        // Go's dtoi takes any number of digits, leading zeros included.
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 3) {
            return null;
        }
        int length = Integer.parseInt(significant);
        if (!raw.v6Notation()) {
            return length > 32 ? null : containing(IpAddress.ofV4(raw.lo()), length);
        }
        if (length > 128) {
            return null;
        }
        if (raw.isV4Mapped() && length >= 96) {
            return containing(IpAddress.ofV4(raw.lo() & 0xFFFF_FFFFL), length - 96);
        }
        return containing(IpAddress.ofV6(raw.hi(), raw.lo()), length);
    }

    public IpFamily family() {
        return network.family();
    }

    /** The first address: the network address itself. */
    public IpAddress first() {
        return network;
    }

    /** The last address (the IPv4 broadcast address). */
    public IpAddress last() {
        return network.lastInPrefix(prefixLength);
    }

    /** The number of host bits: the family width minus the prefix length. */
    public int hostBits() {
        return family().bits() - prefixLength;
    }

    /** The number of addresses, 2^hostBits. */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(hostBits());
    }

    public boolean contains(IpAddress address) {
        return address.family() == family() && address.masked(prefixLength).equals(network);
    }

    /** True if every address of {@code other} is in this prefix. */
    public boolean contains(Cidr other) {
        return other.prefixLength >= prefixLength && contains(other.network);
    }

    /** True if the two prefixes share an address (then one contains the other). */
    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** IPv4 before IPv6, then by network address, then shorter prefixes first. */
    @Override
    public int compareTo(Cidr other) {
        int byNetwork = network.compareTo(other.network);
        return byNetwork != 0 ? byNetwork : Integer.compare(prefixLength, other.prefixLength);
    }

    /** Go's text: {@code 192.168.10.0/24}, {@code fc00:f853:ccd:e799::/124}. */
    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
