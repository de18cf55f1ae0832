package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.wire.Wire.Claim;
import io.ferrolb.speaker.wire.packet.ArpPacket;
import io.ferrolb.speaker.wire.packet.Mac;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link HandoverProbes} on the wire's worker thread: sends their probes on the captures
 * and hands the claims that may go ahead back to the wire. The capture threads report foreign
 * answers through {@link #answered}, checking {@link #awaits} first without a lock.
 */
final class HandoverDriver {

    private static final Logger LOG = LoggerFactory.getLogger(HandoverDriver.class);
    private static final IpAddress UNSPECIFIED_V4 = IpAddress.parse("0.0.0.0");

    private final ScheduledExecutorService worker;
    private final Supplier<Collection<CapturePort>> ports;
    private final Consumer<List<Claim>> claim;
    /** Worker thread only. */
    private final HandoverProbes probes = new HandoverProbes();
    /** What {@link #probes} waits for, for the capture threads to read without a lock. */
    private volatile Set<IpAddress> awaited = Set.of();
    /** Worker thread only. */
    private ScheduledFuture<?> next;

    /**
     * @param worker the wire's single worker thread
     * @param ports  the open captures
     * @param claim  claims an address for good (called on the worker thread)
     */
    HandoverDriver(ScheduledExecutorService worker, Supplier<Collection<CapturePort>> ports,
            Consumer<List<Claim>> claim) {
        this.worker = worker;
        this.ports = ports;
        this.claim = claim;
    }

    /** Starts waiting for the previous owners of these addresses to go quiet. Any thread. */
    void await(List<Claim> claims) {
        worker.execute(() -> {
            long t = System.nanoTime();
            claims.forEach(c -> probes.await(c, t));
            LOG.info("waiting for the previous owners to stop answering addresses={}", claims.size());
            tick();
        });
    }

    /** Stops waiting for these addresses (released meanwhile). Worker thread. */
    void cancel(Collection<IpAddress> ips) {
        ips.forEach(probes::cancel);
        awaited = probes.addresses();
    }

    /** Whether a claim waits for this address; lock-free, for the capture threads. */
    boolean awaits(IpAddress ip) {
        Set<IpAddress> now = awaited;
        return !now.isEmpty() && now.contains(ip);
    }

    /** Another host answered for an awaited address at {@code nanos}. Any thread. */
    void answered(IpAddress ip, long nanos) {
        worker.execute(() -> probes.answered(ip, nanos));
    }

    /** Claims what its previous owner stopped answering for, probes the rest, and comes back while anything is left. */
    private void tick() {
        try {
            step();
        } catch (RuntimeException e) {
            LOG.error("handover probes failed, retrying error={}", e.toString(), e);
        }
        awaited = probes.addresses();
        if (!probes.isEmpty() && next == null) {
            next = worker.schedule(() -> {
                next = null;
                tick();
            }, HandoverProbes.PROBE_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private void step() {
        HandoverProbes.Step step = probes.tick(System.nanoTime());
        for (Claim c : step.probe()) {
            for (CapturePort port : ports.get()) {
                Responder.Port p = port.port();
                if (c.interfaces().includes(p.name())) {
                    port.send(ArpPacket.request(p.mac(), UNSPECIFIED_V4, c.ip()).frame(Mac.BROADCAST, p.mac()));
                }
            }
        }
        if (!step.gaveUp().isEmpty()) {
            LOG.warn("previous owner still answering after {} ms, claiming anyway addresses={}",
                    HandoverProbes.GIVE_UP_NANOS / 1_000_000, step.gaveUp().stream().map(Claim::ip).toList());
        }
        List<Claim> ready = new ArrayList<>(step.ready());
        // Not excused as a handover any more: whoever still answers now is reported.
        step.gaveUp().forEach(c -> ready.add(new Claim(c.service(), c.ip(), c.interfaces(), false, false)));
        if (!ready.isEmpty()) {
            claim.accept(ready);
        }
    }
}
