package io.ferrolb.speaker;

import io.ferrolb.common.Flags;
import io.ferrolb.common.KubeClients;
import io.ferrolb.speaker.membership.MembershipSettings;
import io.ferrolb.speaker.membership.SwimTimers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The speaker's settings: MetalLB's flags and environment variables where MetalLB has them
 * ({@code METALLB_NODE_NAME}, {@code METALLB_ML_BIND_ADDR}, {@code METALLB_ML_LABELS}...), ours
 * otherwise. Membership runs when both a bind address and speaker labels are given, as in MetalLB;
 * without it every Node counts as a live speaker (docs/compatibility.md §3.4).
 *
 * <p>ferrolb's own: {@code --wire pcap|none} (answer ARP/NDP, or only track what would be announced),
 * {@code --handoff none|iptables|ipvs} (docs/design.md §8), {@code --drain-grace-ms} (how long handoff rules
 * outlive an announcement), {@code --garp-refresh-ms} (periodic re-announcement, 0 = off),
 * {@code --failure-detector ferrolb|scalecube-defaults|aggressive} (the membership's timers) and
 * {@code --crash-watch} (a refused membership port counts as a crashed member).
 */
public record SpeakerOptions(
        String kubeconfig,
        String namespace,
        String nodeName,
        String podName,
        String loadBalancerClass,
        boolean ignoreExcludeLb,
        String bindAddress,
        int port,
        String membershipBindAddress,
        int membershipPort,
        String speakerLabels,
        Path secretKeyFile,
        String wire,
        String handoff,
        Duration drainGrace,
        Duration garpRefresh,
        String failureDetector,
        boolean crashWatch,
        List<String> staticInterfaces,
        Path excludeFile,
        Duration joinDeadline) {

    public boolean membershipEnabled() {
        return membershipBindAddress != null && speakerLabels != null;
    }

    /** {@code --wire}: answer ARP/NDP with pcap, or only track what would be announced. */
    public static final List<String> WIRES = List.of("pcap", "none");
    /** {@code --handoff}: who serves the VIP on the owning node besides kube-proxy. */
    public static final List<String> HANDOFFS = List.of("none", "iptables", "ipvs");

    public static SpeakerOptions parse(String[] args) {
        Flags f = new Flags(args, Set.of("ignore-exclude-lb", "crash-watch"));
        String namespace = f.string("namespace", "METALLB_NAMESPACE", KubeClients.inClusterNamespace());
        String node = f.string("node-name", "METALLB_NODE_NAME", null);
        String secretDir = f.string("ml-secret-key-path", "METALLB_ML_SECRET_KEY_PATH", null);
        String interfaces = f.string("interfaces", null, "");
        SpeakerOptions options = new SpeakerOptions(
                f.string("kubeconfig", null, null),
                namespace,
                node,
                f.string("pod-name", "METALLB_POD_NAME", null),
                f.string("lb-class", null, ""),
                f.bool("ignore-exclude-lb", null, false),
                f.string("bind-address", null, "0.0.0.0"),
                f.integer("port", null, 7472),
                f.string("ml-bindaddr", "METALLB_ML_BIND_ADDR", null),
                f.integer("ml-bindport", "METALLB_ML_BIND_PORT", MembershipSettings.DEFAULT_PORT),
                f.string("ml-labels", "METALLB_ML_LABELS", null),
                secretDir == null ? null : Path.of(secretDir).resolve("secretkey"),
                f.choice("wire", null, "pcap", WIRES),
                f.choice("handoff", "FERROLB_HANDOFF", "none", HANDOFFS),
                Duration.ofMillis(f.integer("drain-grace-ms", null, 3000)),
                Duration.ofMillis(f.integer("garp-refresh-ms", null, 0)),
                f.choice("failure-detector", null, "ferrolb", SwimTimers.NAMES),
                f.bool("crash-watch", null, true),
                interfaces.isEmpty() ? List.of() : Arrays.stream(interfaces.split(",")).map(String::strip).toList(),
                Path.of(f.string("exclude-l2-config", null, "/etc/metallb/excludel2.yaml")),
                Duration.ofMillis(f.integer("join-deadline-ms", null, 10_000)));
        f.requireAllKnown();
        if (namespace == null || node == null) {
            throw new IllegalArgumentException("--namespace and --node-name (METALLB_NAMESPACE, METALLB_NODE_NAME) "
                    + "are required");
        }
        return options;
    }
}
