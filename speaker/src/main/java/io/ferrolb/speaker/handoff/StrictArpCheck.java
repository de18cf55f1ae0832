package io.ferrolb.speaker.handoff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the node answers ARP for every local address on every interface while IPVS puts
 * Service addresses on a local device (kube-proxy's {@code kube-ipvs0}, or our own IPVS handoff):
 * then every node answers for every VIP, not just the elected one (docs/compatibility.md §3.5, MetalLB's
 * "strictARP"). The decision is pure ({@link #decide}); {@link #check} reads
 * {@code /proc/sys/net/ipv4/conf/all/arp_ignore} and {@code arp_announce} and looks for
 * {@code kube-ipvs0}. The speaker turns a warning into an event and a metric.
 */
public final class StrictArpCheck {

    /** The kube-proxy IPVS dummy device. */
    public static final String KUBE_IPVS_DEVICE = "kube-ipvs0";

    /** What the check looks at. */
    public record Inputs(int arpIgnore, int arpAnnounce, boolean kubeProxyIpvs, boolean ipvsHandoff) {
    }

    /** The verdict: warn or not, and why, for the event message. */
    public record Result(boolean warn, String reason) {
    }

    private final Path ipv4Conf;
    private final Path sysClassNet;
    private final boolean ipvsHandoff;

    /**
     * @param procSysNetIpv4Conf normally {@code /proc/sys/net/ipv4/conf}
     * @param sysClassNet        normally {@code /sys/class/net}
     * @param ipvsHandoff        whether this speaker runs the IPVS handoff itself
     */
    public StrictArpCheck(Path procSysNetIpv4Conf, Path sysClassNet, boolean ipvsHandoff) {
        this.ipv4Conf = procSysNetIpv4Conf;
        this.sysClassNet = sysClassNet;
        this.ipvsHandoff = ipvsHandoff;
    }

    /** Warn when IPVS owns local VIPs and the kernel is not strict: arp_ignore < 1 or arp_announce != 2. */
    public static Result decide(Inputs in) {
        if (!in.kubeProxyIpvs() && !in.ipvsHandoff()) {
            return new Result(false, "no IPVS device holds Service addresses");
        }
        String who = in.kubeProxyIpvs() ? "kube-proxy in IPVS mode (" + KUBE_IPVS_DEVICE + ")" : "the IPVS handoff";
        if (in.arpIgnore() >= 1 && in.arpAnnounce() == 2) {
            return new Result(false, who + " with strict ARP");
        }
        return new Result(true, who + " puts every LoadBalancer IP on a local device, and arp_ignore="
                + in.arpIgnore() + " arp_announce=" + in.arpAnnounce() + " let this node answer ARP for all of them;"
                + " enable strictARP (arp_ignore=1, arp_announce=2)");
    }

    /** Reads the sysctls and looks for kube-proxy's device; an unreadable sysctl counts as 0. */
    public Inputs read() {
        return new Inputs(sysctl("arp_ignore"), sysctl("arp_announce"),
                Files.exists(sysClassNet.resolve(KUBE_IPVS_DEVICE)), ipvsHandoff);
    }

    public Result check() {
        return decide(read());
    }

    private int sysctl(String name) {
        try {
            return Integer.parseInt(Files.readString(ipv4Conf.resolve("all").resolve(name)).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
