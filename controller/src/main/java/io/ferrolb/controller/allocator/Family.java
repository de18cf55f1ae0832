package io.ferrolb.controller.allocator;

import io.ferrolb.net.AddressParseException;
import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.List;

/** The address family of a Service or of a list of addresses, with MetalLB's names. */
public enum Family {
    IPV4("ipv4"), IPV6("ipv6"), DUAL("dual"), UNKNOWN("unknown");

    private final String text;

    Family(String text) {
        this.text = text;
    }

    public static Family of(IpFamily family) {
        return family == IpFamily.IPV4 ? IPV4 : IPV6;
    }

    /**
     * The family of one or two address texts (a Service's clusterIPs, its ingress IPs).
     *
     * @throws IllegalArgumentException with MetalLB's message when the list is not one address or
     *     two of different families
     */
    public static Family ofAddresses(List<String> texts) {
        String quoted = io.ferrolb.net.GoQuote.quoteAll(texts);
        if (texts.size() != 1 && texts.size() != 2) {
            throw new IllegalArgumentException("IPFamilyForAddresses: invalid ips length " + texts.size() + " "
                    + quoted);
        }
        IpAddress[] parsed = new IpAddress[texts.size()];
        for (int i = 0; i < parsed.length; i++) {
            try {
                parsed[i] = IpAddress.parse(texts.get(i));
            } catch (AddressParseException e) {
                throw new IllegalArgumentException("IPFamilyForAddresses: Invalid address " + quoted);
            }
        }
        if (parsed.length == 1) {
            return of(parsed[0].family());
        }
        if (parsed[0].family() == parsed[1].family()) {
            throw new IllegalArgumentException("IPFamilyForAddresses: same address family " + quoted);
        }
        return DUAL;
    }

    /** The family of parsed addresses (one, or two of different families). */
    public static Family ofIps(List<IpAddress> ips) {
        return ofAddresses(ips.stream().map(IpAddress::toString).toList());
    }

    /** MetalLB's text: ipv4, ipv6, dual, unknown. */
    @Override
    public String toString() {
        return text;
    }
}
