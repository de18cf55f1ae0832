package io.ferrolb.config;

import io.ferrolb.net.AddressParseException;
import io.ferrolb.net.Cidr;
import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpRanges;
import java.util.List;

/** One entry of an IPAddressPool's {@code spec.addresses}: a CIDR or a {@code start-end} range. */
public final class PoolAddresses {

    private PoolAddresses() {
    }

    /**
     * The prefixes an entry stands for: a CIDR normalised to its network, or a range split on its
     * first '-', each side trimmed, as the fewest covering prefixes in ascending order.
     *
     * @throws IllegalArgumentException with MetalLB's message ({@code invalid CIDR "…"},
     *     {@code invalid IP range "…": …})
     */
    public static List<Cidr> parse(String entry) {
        if (entry.indexOf('-') < 0) {
            try {
                return List.of(Cidr.parse(entry));
            } catch (AddressParseException e) {
                throw new IllegalArgumentException("invalid CIDR " + GoText.q(entry));
            }
        }
        int dash = entry.indexOf('-');
        String startText = entry.substring(0, dash);
        String endText = entry.substring(dash + 1);
        IpAddress start = rangeEnd(entry, startText, "start");
        IpAddress end = rangeEnd(entry, endText, "end");
        if (start.family() != end.family()) {
            throw new IllegalArgumentException("invalid IP range " + GoText.q(entry) + ": start IP " + GoText.q(start)
                    + " and end IP " + GoText.q(end) + " are of different IP families");
        }
        if (start.compareTo(end) > 0) {
            throw new IllegalArgumentException("invalid IP range " + GoText.q(entry) + ": start IP " + GoText.q(start)
                    + " is after the end IP " + GoText.q(end));
        }
        return IpRanges.summarize(start, end);
    }

    private static IpAddress rangeEnd(String entry, String text, String which) {
        try {
            return IpAddress.parse(text.strip());
        } catch (AddressParseException e) {
            throw new IllegalArgumentException("invalid IP range " + GoText.q(entry) + ": invalid " + which + " IP "
                    + GoText.q(text));
        }
    }
}
