package io.ferrolb.speaker;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.ferrolb.common.EventRecorder;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.handoff.CommandRunner;
import io.ferrolb.speaker.handoff.Handoff;
import io.ferrolb.speaker.handoff.IptablesHandoff;
import io.ferrolb.speaker.handoff.IpvsHandoff;
import io.ferrolb.speaker.handoff.StrictArpCheck;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The speaker's parts that depend on the node: the handoff and the strict-ARP check. */
final class SpeakerParts {

    private static final Logger LOG = LoggerFactory.getLogger(SpeakerParts.class);
    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    private SpeakerParts() {
    }

    /** The handoff of {@code --handoff}, its DNAT targets the node's InternalIPs (one per family). */
    static Handoff handoff(SpeakerOptions options, List<Node> nodes) {
        if (options.handoff().equals("none")) {
            return Handoff.none();
        }
        List<IpAddress> ips = nodeIps(options, nodes);
        if (ips.isEmpty()) {
            throw new IllegalStateException("--handoff " + options.handoff() + " needs the InternalIP of node "
                    + options.nodeName() + ", and its Node object has none");
        }
        CommandRunner runner = CommandRunner.system(COMMAND_TIMEOUT_SECONDS);
        return switch (options.handoff()) {
            case "iptables" -> new IptablesHandoff(runner, ips);
            case "ipvs" -> new IpvsHandoff(runner, ips);
            default -> throw new IllegalArgumentException("unknown --handoff " + options.handoff()
                    + " (none, iptables or ipvs)");
        };
    }

    static List<IpAddress> nodeIps(SpeakerOptions options, List<Node> nodes) {
        List<IpAddress> out = new ArrayList<>();
        nodes.stream().filter(n -> options.nodeName().equals(n.getMetadata().getName())).findFirst()
                .map(n -> n.getStatus() == null ? List.<NodeAddress>of() : n.getStatus().getAddresses())
                .orElse(List.of()).stream().filter(a -> "InternalIP".equals(a.getType())).forEach(a -> {
                    try {
                        out.add(IpAddress.parse(a.getAddress()));
                    } catch (IllegalArgumentException e) {
                        LOG.warn("ignoring node address={} error={}", a.getAddress(), e.getMessage());
                    }
                });
        return out;
    }

    /**
     * Warns (log, Warning event {@code strictARPDisabled} on the speaker Pod, gauge
     * {@code ferrolb_speaker_strict_arp_violation}) when IPVS holds Service addresses on this node
     * and the kernel answers ARP for them on every interface (docs/design.md §8.5).
     */
    static void checkStrictArp(SpeakerOptions options, MeterRegistry registry, Optional<Pod> pod,
            EventRecorder events) {
        StrictArpCheck.Result result = new StrictArpCheck(Path.of("/proc/sys/net/ipv4/conf"),
                Path.of("/sys/class/net"), options.handoff().equals("ipvs")).check();
        Gauge.builder("ferrolb_speaker_strict_arp_violation", () -> result.warn() ? 1 : 0)
                .description("1 when IPVS holds LoadBalancer IPs on this node without strict ARP: every node "
                        + "then answers ARP for every VIP").register(registry);
        if (result.warn()) {
            LOG.warn("strict ARP is off node={}: {}", options.nodeName(), result.reason());
            pod.ifPresent(p -> events.record(p, "Warning", "strictARPDisabled", result.reason()));
        }
    }
}
