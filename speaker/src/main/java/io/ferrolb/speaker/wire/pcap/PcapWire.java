package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.common.Daemons;
import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import io.ferrolb.speaker.plan.Interfaces;
import io.ferrolb.speaker.wire.ConflictListener;
import io.ferrolb.speaker.wire.LinkScanner;
import io.ferrolb.speaker.wire.Wire;
import io.ferrolb.speaker.wire.packet.ArpPacket;
import io.ferrolb.speaker.wire.packet.Frame;
import io.ferrolb.speaker.wire.packet.Mac;
import io.ferrolb.speaker.wire.packet.NdpPacket;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet wire: answers ARP and Neighbor Solicitations for owned addresses and announces them,
 * through libpcap on every eligible interface (docs/compatibility.md §3.5-§3.7), and reports foreign claims on
 * owned addresses ({@link ConflictListener}, {@link ConflictWindow}). Interfaces are rescanned
 * every {@link Settings#rescan()}. Needs {@code CAP_NET_RAW}.
 *
 * <p>Threads: one capture thread per interface answers on the spot; one worker thread runs the
 * announcement schedule, the rescans and the conflict callbacks. {@link #announce} and
 * {@link #withdraw} only swap the immutable {@link Ownership} and post to the worker.
 */
public final class PcapWire implements Wire {

    private static final Logger LOG = LoggerFactory.getLogger(PcapWire.class);

    /**
     * @param refresh     periodic re-announcement of every owned address; {@link Duration#ZERO} = off (default)
     * @param rescan      how often the interfaces are re-read (MetalLB: 10 s)
     * @param sysClassNet where the links' MAC addresses are read
     * @param snaplen     captured bytes per frame; ARP and ND fit in 128
     */
    public record Settings(Duration refresh, Duration rescan, Path sysClassNet, int snaplen) {
        public static Settings defaults() {
            return new Settings(Duration.ZERO, Duration.ofSeconds(10), Path.of("/sys/class/net"), 256);
        }

        public Settings withRefresh(Duration interval) {
            return new Settings(interval, rescan, sysClassNet, snaplen);
        }
    }

    private final LinkScanner links;
    private final ConflictListener listener;
    private final Settings settings;
    private final WireMetrics metrics;
    private final ConflictWindow conflicts = new ConflictWindow();
    private final MulticastGroups groups = new MulticastGroups();
    private final AnnounceSchedule schedule;
    private final Map<String, CapturePort> ports = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker;
    private volatile Ownership owned = Ownership.EMPTY;
    /** Set by {@link #silence()}: claims are ignored from then on; guarded by this. */
    private boolean silenced;
    private volatile Set<Mac> ourMacs = Set.of();
    private ScheduledFuture<?> nextBurst;
    /** Claims waiting for a live previous owner to go quiet. */
    private final HandoverDriver handovers;
    private final FilterKeeper filters;

    private PcapWire(LinkScanner links, MeterRegistry registry, ConflictListener listener, Settings settings) {
        this.links = links;
        this.listener = listener;
        this.settings = settings;
        this.metrics = new WireMetrics(registry);
        this.filters = new FilterKeeper(ports, () -> owned.addresses(), metrics::filterWidened);
        this.schedule = new AnnounceSchedule(System::nanoTime, settings.refresh().toNanos());
        this.worker = Daemons.singleThread("wire-announce");
        this.handovers = new HandoverDriver(worker, ports::values, this::claimNow);
    }

    /** Opens a capture on every eligible interface and starts answering (for nothing yet). */
    public static PcapWire start(LinkScanner links, MeterRegistry registry, ConflictListener listener,
            Settings settings) {
        PcapWire wire = new PcapWire(links, registry, listener, settings);
        LOG.info("packet wire starting libpcap={} refresh={}", Pcaps.libVersion(), settings.refresh());
        Responder.warmUp();
        wire.rescan();
        long period = settings.rescan().toMillis();
        wire.worker.scheduleWithFixedDelay(wire::rescan, period, period, TimeUnit.MILLISECONDS);
        return wire;
    }

    @Override
    public void announce(String service, IpAddress ip, Interfaces interfaces, boolean takeover) {
        announceAll(List.of(new Claim(service, ip, interfaces, takeover, false)));
    }

    @Override
    public void withdraw(String service, IpAddress ip) {
        withdrawAll(List.of(new Release(service, ip)));
    }

    /**
     * One ownership swap for the whole batch (the capture threads answer for all of it from then
     * on), then one task on the worker that sends the first burst of every address due one, back
     * to back, before anything else.
     */
    @Override
    public void announceAll(List<Claim> claims) {
        List<Claim> now = new ArrayList<>();
        List<Claim> later = new ArrayList<>();
        Ownership current = owned;
        for (Claim c : claims) {
            // IPv6 has no probe here yet: its handovers go ahead at once.
            boolean wait = c.awaitRelease() && c.ip().family() == IpFamily.IPV4 && !current.owns(c.ip());
            (wait ? later : now).add(c);
        }
        claimNow(now);
        if (!later.isEmpty()) {
            // The handover probes take long enough to compile the filter that will pass them.
            filters.awaiting(later.stream().map(Claim::ip).collect(Collectors.toSet()));
            handovers.await(later);
        }
    }

    private void claimNow(List<Claim> claims) {
        if (claims.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        // The kernel must hand us the requests for the new addresses before we own them.
        FilterKeeper.Passing passing = filters.widenFor(claims.stream().map(Claim::ip).toList());
        long filtered = System.nanoTime();
        List<IpAddress> ips = new ArrayList<>(claims.size());
        Set<IpAddress> acquired = new HashSet<>();
        synchronized (this) {
            if (silenced) {
                return;
            }
            Ownership before = owned;
            owned = before.withAll(claims, CaptureClock.now());
            filters.claimed(claims.stream().map(Claim::ip).toList());
            long now = System.nanoTime();
            for (Claim c : claims) {
                ips.add(c.ip());
                if (!before.owns(c.ip()) && acquired.add(c.ip())) {
                    metrics.own(c.ip());
                    synchronized (conflicts) {
                        conflicts.acquired(c.ip(), now, c.takeover());
                    }
                    LOG.debug("answering ip={} service={} interfaces={}", c.ip(), c.service(), c.interfaces());
                }
            }
            if (claims.stream().anyMatch(c -> c.ip().family() == IpFamily.IPV6)) {
                syncGroups();
            }
            LOG.info("answering addresses={} new={} filter={} filterMs={} ms={}", claims.size(), acquired.size(),
                    passing, (filtered - started) / 1_000_000, (System.nanoTime() - started) / 1_000_000);
        }
        filters.refresh();
        worker.execute(() -> {
            for (IpAddress ip : ips) {
                if (owned.owns(ip) && schedule.trigger(ip)) {
                    burst(ip);
                }
            }
            reschedule();
            // After the first bursts: they counted already, and only the meters wait.
            acquired.stream().filter(owned::owns).forEach(metrics::publish);
        });
    }

    @Override
    public void silence() {
        List<Release> all;
        synchronized (this) {
            silenced = true;
            all = owned.releases();
        }
        withdrawAll(all);
    }

    @Override
    public void withdrawAll(List<Release> releases) {
        if (releases.isEmpty()) {
            return;
        }
        Set<IpAddress> gone = new LinkedHashSet<>();
        synchronized (this) {
            Ownership before = owned;
            owned = before.withoutAll(releases);
            for (Release r : releases) {
                if (before.owns(r.ip()) && !owned.owns(r.ip()) && gone.add(r.ip())) {
                    synchronized (conflicts) {
                        conflicts.released(r.ip());
                    }
                    LOG.debug("stopped answering ip={} service={}", r.ip(), r.service());
                }
            }
            if (gone.stream().anyMatch(ip -> ip.family() == IpFamily.IPV6)) {
                syncGroups();
            }
            LOG.info("stopped answering addresses={}", gone.size());
        }
        filters.refresh();
        worker.execute(() -> {
            for (IpAddress ip : gone) {
                if (!owned.owns(ip)) {
                    schedule.cancel(ip);
                    // Here, not in the caller: removing hundreds of meters would delay a stopping
                    // speaker's leave.
                    metrics.disown(ip);
                }
            }
            handovers.cancel(releases.stream().map(Release::ip).toList());
            reschedule();
        });
    }

    @Override
    public void expect(List<Set<IpAddress>> batches) {
        filters.expect(batches);
    }

    /** The capture filter's state, for tests. */
    String filterState() {
        return filters.describe();
    }

    @Override
    public Set<String> interfaces() {
        return links.eligible();
    }

    @Override
    public void close() {
        filters.close();
        worker.shutdownNow();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            owned = Ownership.EMPTY;
            ports.values().forEach(CapturePort::close);
            ports.clear();
            groups.close();
            metrics.removeAll();
        }
        LOG.info("packet wire closed");
    }

    /** Runs on a capture thread: decide, then answer or report. */
    private void receive(CapturePort port, byte[] raw, long capturedMicros) {
        Frame frame = Frame.parse(raw);
        if (frame instanceof Frame.Arp arp && handovers.awaits(arp.packet().senderIp())
                && !ourMacs.contains(arp.packet().senderMac())) {
            // The previous owner of an address we wait to claim still answers for it.
            handovers.answered(arp.packet().senderIp(), System.nanoTime());
        }
        Responder.Outcome outcome = Responder.decide(port.port(), frame, owned, ourMacs::contains, capturedMicros);
        if (outcome instanceof Responder.Answer answer) {
            metrics.request(answer.ip());
            if (port.send(answer.frame())) {
                metrics.response(answer.ip());
            }
        } else if (outcome instanceof Responder.Claim claim) {
            Optional<Mac> report;
            Long since;
            synchronized (conflicts) {
                report = conflicts.claim(claim.ip(), claim.foreign(), System.nanoTime());
                since = conflicts.heldSince(claim.ip());
            }
            report.ifPresent(mac -> confirmConflict(claim.ip(), mac, port.port().name(), since));
        }
    }

    /** Reports the conflict if the address is still ours half a second later (see {@link ConflictWindow}). */
    private void confirmConflict(IpAddress ip, Mac mac, String iface, Long since) {
        LOG.debug("foreign claim ip={} foreignMac={} interface={}", ip, mac, iface);
        worker.schedule(() -> {
            synchronized (conflicts) {
                if (since == null || !since.equals(conflicts.heldSince(ip))) {
                    LOG.info("foreign claim ip={} foreignMac={} ended with our release: a handoff", ip, mac);
                    return;
                }
            }
            metrics.conflict(ip);
            LOG.warn("address conflict ip={} foreignMac={} interface={}: another host claims an address this node "
                    + "announces", ip, mac, iface);
            try {
                listener.conflict(ip, mac.toString(), iface);
            } catch (RuntimeException e) {
                LOG.warn("conflict listener failed ip={} error={}", ip, e.toString());
            }
        }, ConflictWindow.CONFIRM_NANOS, TimeUnit.NANOSECONDS);
    }

    /** One burst for the address on every interface that announces it (worker thread). */
    private void burst(IpAddress ip) {
        Ownership now = owned;
        for (CapturePort port : ports.values()) {
            Responder.Port p = port.port();
            if (!now.owns(ip, p.name())) {
                continue;
            }
            List<byte[]> frames = ip.family() == IpFamily.IPV4
                    ? List.of(ArpPacket.gratuitous(ArpPacket.REQUEST, p.mac(), ip).frame(Mac.BROADCAST, p.mac()),
                            ArpPacket.gratuitous(ArpPacket.REPLY, p.mac(), ip).frame(Mac.BROADCAST, p.mac()))
                    : p.linkLocal().isEmpty() ? List.<byte[]>of()
                    : List.of(NdpPacket.unsolicited(p.mac(), ip).frame(Mac.ipv6Multicast(NdpPacket.ALL_NODES), p.mac()));
            for (byte[] frame : frames) {
                if (port.send(frame)) {
                    metrics.gratuitous(ip);
                }
            }
        }
        LOG.debug("announced ip={}", ip);
    }

    /** Runs the due bursts and sleeps until the schedule's next deadline (worker thread). */
    private void reschedule() {
        if (nextBurst != null) {
            nextBurst.cancel(false);
            nextBurst = null;
        }
        schedule.nextDeadline().ifPresent(at -> nextBurst = worker.schedule(() -> {
            nextBurst = null;
            schedule.due().stream().filter(owned::owns).forEach(this::burst);
            reschedule();
        }, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS));
    }

    /** The link guard saw the eligible interfaces change: rescan now rather than at the next period. */
    @Override
    public void linksChanged() {
        worker.execute(this::rescan);
    }

    /** Opens captures on new eligible interfaces, closes those of vanished or changed ones. */
    private synchronized void rescan() {
        Set<String> eligible = links.eligible();
        ports.entrySet().removeIf(e -> {
            Optional<Responder.Port> now = LinkInfo.read(settings.sysClassNet(), e.getKey());
            if (eligible.contains(e.getKey()) && e.getValue().running() && now.equals(Optional.of(e.getValue().port()))) {
                return false;
            }
            LOG.info("closing capture interface={}", e.getKey());
            e.getValue().close();
            return true;
        });
        for (String name : eligible) {
            if (!ports.containsKey(name)) {
                LinkInfo.read(settings.sysClassNet(), name).ifPresent(this::open);
            }
        }
        ourMacs = Set.copyOf(LinkInfo.allMacs(settings.sysClassNet()));
        groups.sync(owned, ports.values().stream().map(CapturePort::port).toList());
    }

    private void open(Responder.Port port) {
        try {
            ports.put(port.name(), CapturePort.open(port, settings.snaplen(), this::receive));
            filters.refresh();
            LOG.info("capturing interface={} mac={} linkLocal={}", port.name(), port.mac(),
                    port.linkLocal().map(IpAddress::toString).orElse("none"));
        } catch (PcapNativeException | RuntimeException e) {
            LOG.warn("cannot capture interface={} error={}; retrying at the next rescan", port.name(), e.toString());
        }
    }

    private void syncGroups() {
        groups.sync(owned, ports.values().stream().map(CapturePort::port).toList());
    }
}
