package io.ferrolb.speaker;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.common.Daemons;
import io.ferrolb.common.EventRecorder;
import io.ferrolb.common.KubeClients;
import io.ferrolb.common.Metrics;
import io.ferrolb.common.OpsServer;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.handoff.DrainingHandoff;
import io.ferrolb.speaker.handoff.Handoff;
import io.ferrolb.speaker.kube.ClusterInputs;
import io.ferrolb.speaker.kube.ClusterView;
import io.ferrolb.speaker.kube.KubeSpeakerEvents;
import io.ferrolb.speaker.loop.LoopInputs;
import io.ferrolb.speaker.loop.SpeakerLoop;
import io.ferrolb.speaker.loop.SpeakerMetrics;
import io.ferrolb.speaker.membership.MembershipView;
import io.ferrolb.speaker.plan.PlanOptions;
import io.ferrolb.speaker.status.L2StatusSync;
import io.ferrolb.speaker.wire.InterfaceRules;
import io.ferrolb.speaker.wire.LinkGuard;
import io.ferrolb.speaker.wire.LinkScanner;
import io.ferrolb.speaker.wire.TrackingWire;
import io.ferrolb.speaker.wire.Wire;
import io.ferrolb.speaker.wire.pcap.PcapWire;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running speaker: every part built from {@link SpeakerOptions}, started in order, stopped in reverse. */
public final class Speaker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Speaker.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration LINK_PERIOD = Duration.ofMillis(200);
    private static final Duration LINK_HOLD_DOWN = Duration.ofSeconds(1);

    private final SpeakerOptions options;
    private final KubernetesClient client;
    private final PrometheusMeterRegistry registry = Metrics.newRegistry();
    private final EventRecorder events;
    private final KubeSpeakerEvents speakerEvents;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final LinkScanner links;
    private ClusterView cluster;
    private volatile L2StatusSync statuses;
    private volatile SpeakerLoop loop;
    private MembershipSwitch membership;
    private Wire wire;
    private Handoff handoff;
    private LinkGuard linkGuard;
    private OpsServer ops;

    private Speaker(SpeakerOptions options) {
        this.options = options;
        this.client = KubeClients.create(options.kubeconfig());
        this.events = new EventRecorder(client, "ferrolb-speaker");
        this.speakerEvents = new KubeSpeakerEvents(events);
        this.links = new LinkScanner(Path.of("/sys/class/net"),
                new InterfaceRules(LinkScanner.excludePatterns(options.excludeFile())));
    }

    public static Speaker start(SpeakerOptions options) throws Exception {
        Speaker speaker = new Speaker(options);
        try {
            speaker.startParts();
        } catch (Exception e) {
            speaker.close();
            throw e;
        }
        return speaker;
    }

    private void startParts() throws Exception {
        cluster = new ClusterView(client, options.namespace(), options.speakerLabels(), this::dirty,
                this::statusesChanged);
        long listing = System.nanoTime();
        cluster.begin();
        wire = buildWire();
        if (options.membershipEnabled()) {
            membership = new MembershipSwitch(options, cluster, this::dirty);
        }
        // A speaker starting with no link to announce on must not join (alone, it would believe it
        // owns every VIP): the guard makes it join once a link is up.
        Set<String> linksAtStart = links.refresh();
        boolean usable = !options.wire().equals("pcap") || !linksAtStart.isEmpty();
        cluster.awaitSynced(SYNC_TIMEOUT);
        LOG.info("caches listed services={} endpointSlices={} ms={}", cluster.services().size(),
                cluster.endpointSlices().size(), (System.nanoTime() - listing) / 1_000_000);
        Optional<Pod> pod = ownPod();
        statuses = new L2StatusSync(client, options.namespace(), options.nodeName(), options.podName(),
                pod.map(p -> p.getMetadata().getUid()).orElse(null), () -> cluster.statuses());
        Handoff rules = SpeakerParts.handoff(options, cluster.nodes());
        // With handoff none kube-proxy serves the VIPs on every node: nothing to drain.
        handoff = options.handoff().equals("none") ? rules : new DrainingHandoff(rules, options.drainGrace());
        SpeakerParts.checkStrictArp(options, registry, pod, events);
        PlanOptions planOptions = new PlanOptions(options.loadBalancerClass().isEmpty() ? Optional.empty()
                : Optional.of(options.loadBalancerClass()), options.ignoreExcludeLb());
        LoopInputs inputs = new ClusterInputs(cluster, membership == null ? null : this::membershipView);
        loop = new SpeakerLoop(options.nodeName(), inputs, wire, handoff, statuses, speakerEvents,
                new SpeakerMetrics(registry), planOptions);
        ops = new OpsServer(new InetSocketAddress(options.bindAddress(), options.port()), registry, loop::ready)
                .start();
        // Peers give up their addresses to this node as soon as they see it join, so it joins only
        // once it can claim them at once: caches listed, planned once, rules standing by (§8.4).
        long preparing = System.nanoTime();
        loop.prepare();
        LOG.info("prepared to join node={} ms={}", options.nodeName(), (System.nanoTime() - preparing) / 1_000_000);
        boolean joined = membership == null || !usable || join(options.wire().equals("pcap"));
        if (membership != null && usable && joined) {
            // An iteration before the gate opens plans a thousand Services for nothing while the
            // peers wait for this node's claims.
            membership.awaitJoined(options.joinDeadline());
        }
        loop.start();
        if (options.wire().equals("pcap")) {
            // A failed join counts as "not usable yet": the guard joins again after its hold-down.
            linkGuard = new LinkGuard(links, LINK_PERIOD, LINK_HOLD_DOWN, this::linksChanged, this::linksUsable)
                    .start(usable && joined, linksAtStart);
        }
        logStarted();
    }

    /** With the time since the process started and the CPU it took: on a busy node they differ a lot. */
    private void logStarted() {
        ProcessHandle.Info process = ProcessHandle.current().info();
        LOG.info("speaker started node={} membership={} wire={} handoff={} ms={} cpuMs={}", options.nodeName(),
                membership == null ? "disabled" : options.membershipBindAddress() + ":" + options.membershipPort(),
                options.wire(), options.handoff(),
                process.startInstant().map(t -> Duration.between(t, Instant.now()).toMillis()).orElse(-1L),
                process.totalCpuDuration().map(Duration::toMillis).orElse(-1L));
    }

    /** Joins at start; a failure is retried by the link guard when there is one, else it stops the speaker. */
    private boolean join(boolean guarded) {
        try {
            membership.join();
            return true;
        } catch (RuntimeException e) {
            if (!guarded) {
                throw e;
            }
            LOG.error("joining the membership failed, retrying node={} error={}", options.nodeName(), e.toString());
            return false;
        }
    }

    private MembershipView membershipView() {
        return membership.view();
    }

    private void dirty() {
        SpeakerLoop l = loop;
        if (l != null) {
            l.markDirty();
        }
    }

    /** This speaker's Pod: from the speaker Pods' cache when membership lists them, else one GET. */
    private Optional<Pod> ownPod() {
        if (options.podName() == null) {
            return Optional.empty();
        }
        return cluster.speakerPod(options.podName()).or(() -> Optional.ofNullable(
                client.pods().inNamespace(options.namespace()).withName(options.podName()).get()));
    }

    private void statusesChanged() {
        L2StatusSync s = statuses;
        if (s != null) {
            s.poke();
        }
    }

    private Wire buildWire() {
        Set<String> fixed = Set.copyOf(options.staticInterfaces());
        return switch (options.wire()) {
            case "pcap" -> PcapWire.start(links, registry, this::conflict,
                    PcapWire.Settings.defaults().withRefresh(options.garpRefresh()));
            case "none" -> new TrackingWire(() -> fixed.isEmpty() ? links.eligible() : fixed);
            default -> throw new IllegalArgumentException("unknown --wire " + options.wire() + " (pcap or none)");
        };
    }

    /** Another host claims an address we announce: a Warning event on every Service holding it. */
    private void conflict(IpAddress ip, String foreignMac, String iface) {
        SpeakerLoop l = loop;
        if (l == null) {
            return;
        }
        l.announced().forEach((key, ips) -> {
            if (ips.contains(ip)) {
                cluster.services().stream().filter(s -> key.toString().equals(s.getMetadata().getNamespace() + "/"
                        + s.getMetadata().getName())).findFirst().ifPresent(s -> speakerEvents.addressConflict(s,
                                "another host (MAC " + foreignMac + ") answers for " + ip + " on " + iface
                                        + ", which node \"" + options.nodeName() + "\" announces"));
            }
        });
    }

    private void linksChanged() {
        wire.linksChanged();
        dirty();
    }

    /**
     * With no interface left to announce on, this node must not win elections: it leaves the
     * gossip group (peers re-elect at once when the leave gets through, at failure-detection speed
     * otherwise) and joins again once a link has been back for the hold-down time.
     */
    private void linksUsable(boolean usable) {
        if (membership == null) {
            return;
        }
        if (usable) {
            membership.join();
            rewatchAfterLinkOutage();
        } else {
            membership.leave();
        }
        dirty();
    }

    /** See {@link ClusterView#rewatch}; off the link guard's thread, which must keep watching links. */
    private void rewatchAfterLinkOutage() {
        Daemons.named("rewatch").newThread(() -> {
            long started = System.nanoTime();
            try {
                cluster.rewatch(SYNC_TIMEOUT);
                LOG.info("caches listed again after the link outage ms={}", (System.nanoTime() - started) / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("listing the caches again after the link outage failed; keeping the old ones error={}",
                        e.toString());
            }
        }).start();
    }

    public int opsPort() {
        return ops.port();
    }

    public SpeakerLoop loop() {
        return loop;
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops answering for its addresses at once (the wire's silence), so that no moment has two
     * owners, then leaves the gossip group so that peers take over without waiting for failure
     * detection, keeps the handoff rules for the drain grace (clients still send here until the new
     * owner's GARP), then stops the rest.
     */
    @Override
    public void close() {
        LOG.info("speaker stopping node={}", options.nodeName());
        stopped.countDown();
        // No moment may have two owners: the wire goes quiet before the peers hear of the leave, and
        // without waiting for the loop, which may be in the middle of an iteration.
        if (wire != null) {
            wire.silence();
        }
        closeQuietly(linkGuard);
        closeQuietly(membership);
        SpeakerLoop l = loop;
        if (l != null) {
            l.withdraw();
        }
        closeQuietly(l);
        closeQuietly(wire);
        closeQuietly(handoff);
        closeQuietly(statuses);
        closeQuietly(cluster);
        closeQuietly(ops);
        events.close();
        client.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
