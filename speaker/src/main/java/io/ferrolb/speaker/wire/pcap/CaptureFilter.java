package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The capture filter: which frames the kernel hands to the wire at all. Every ARP request on the
 * LAN reaches every speaker, and each frame costs tens of microseconds in libpcap, JNA and the
 * JVM; with a thousand addresses probed by a client every 50 ms, most of a speaker's CPU went to
 * requests for addresses another node owns. So the filter passes an ARP request only when it asks
 * for an address this node owns, and every other ARP frame (replies and gratuitous announcements:
 * rare, and what conflict detection and the handover probes read); NDP passes whole. A plain
 * request from a host that uses one of our addresses as its own is no longer seen; its gratuitous
 * announcement and its replies still are. Past {@link #MAX_ADDRESSES} owned IPv4 addresses the
 * program would near the kernel's limit of 4,096 BPF instructions, and the filter passes every ARP
 * frame. Compiling it takes libpcap's optimizer about 45 ms for 333 addresses and 170 ms for
 * 1,500, which is why the wire widens the filter at once and narrows it in the background. Pure.
 */
final class CaptureFilter {

    /** 2,778 optimized instructions for 1,500 addresses (measured with tcpdump -d). */
    static final int MAX_ADDRESSES = 1500;

    private static final String NDP = "(icmp6 and (ip6[40] == 0x87 or ip6[40] == 0x88))";
    static final String EVERY_ARP = "arp or " + NDP;

    private CaptureFilter() {
    }

    /** The expression for the addresses this node owns now. */
    static String of(Collection<IpAddress> owned) {
        List<String> words = owned.stream().filter(ip -> ip.family() == IpFamily.IPV4)
                .map(ip -> String.format(Locale.ROOT, "0x%08x", ip.low() & 0xFFFF_FFFFL)).sorted().distinct()
                .toList();
        if (words.size() > MAX_ADDRESSES) {
            return EVERY_ARP;
        }
        StringBuilder arp = new StringBuilder("(arp and (arp[6:2] != 1 or arp[14:4] = arp[24:4]");
        for (String w : words) {
            arp.append(" or arp[24:4] = ").append(w);
        }
        return arp.append(")) or ").append(NDP).toString();
    }
}
