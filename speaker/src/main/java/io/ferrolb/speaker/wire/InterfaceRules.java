package io.ferrolb.speaker.wire;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which network interfaces may carry Layer-2 announcements (docs/compatibility.md §3.5): up, with the BROADCAST
 * flag, without NOARP, not enslaved to a bond or bridge (the master is used instead), and not named
 * by an exclude pattern. Pure.
 */
public final class InterfaceRules {

    /** MetalLB's shipped {@code announcedInterfacesToExclude}. */
    public static final List<String> DEFAULT_EXCLUDES = List.of("^docker.*", "^cbr.*", "^dummy.*", "^virbr.*",
            "^lxcbr.*", "^veth.*", "^lo$", "^cali.*", "^tunl.*", "^flannel.*", "^kube-ipvs.*", "^cni.*",
            "^nodelocaldns.*", "^lxc.*");
    static final int IFF_UP = 0x1;
    static final int IFF_BROADCAST = 0x2;
    static final int IFF_NOARP = 0x80;

    /** What the kernel says of one link. */
    public record Link(String name, int flags, boolean enslaved) {
    }

    private final Pattern exclude;

    public InterfaceRules(List<String> excludePatterns) {
        this.exclude = excludePatterns.isEmpty() ? null : Pattern.compile(String.join("|", excludePatterns));
    }

    public boolean eligible(Link link) {
        return (link.flags() & IFF_UP) != 0
                && (link.flags() & IFF_BROADCAST) != 0
                && (link.flags() & IFF_NOARP) == 0
                && !link.enslaved()
                && (exclude == null || !exclude.matcher(link.name()).find());
    }
}
