package io.ferrolb.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Inclusive address ranges as prefixes. */
public final class IpRanges {

    private IpRanges() {
    }

    /**
     * The fewest prefixes that cover exactly {@code first..last}, in ascending order; for example
     * {@code 192.168.9.1-192.168.9.5} is {@code .1/32, .2/31, .4/31}.
     *
     * @throws IllegalArgumentException if the families differ or {@code first} is after {@code last}
     */
    public static List<Cidr> summarize(IpAddress first, IpAddress last) {
        if (first.family() != last.family()) {
            throw new IllegalArgumentException(first + " and " + last + " are of different IP families");
        }
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException(first + " is after " + last);
        }
        IpFamily family = first.family();
        int bits = family.bits();
        BigInteger current = first.toBigInteger();
        BigInteger end = last.toBigInteger();
        List<Cidr> out = new ArrayList<>();
        while (current.compareTo(end) <= 0) {
            // The largest block aligned at `current` (its trailing zero bits) that ends by `end`.
            int hostBits = current.signum() == 0 ? bits : Math.min(bits, current.getLowestSetBit());
            while (current.add(BigInteger.ONE.shiftLeft(hostBits)).subtract(BigInteger.ONE).compareTo(end) > 0) {
                hostBits--;
            }
            out.add(new Cidr(IpAddress.of(family, current), bits - hostBits));
            current = current.add(BigInteger.ONE.shiftLeft(hostBits));
        }
        return List.copyOf(out);
    }
}
