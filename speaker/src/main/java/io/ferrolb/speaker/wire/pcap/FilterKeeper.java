package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.common.CoalescingRunner;
import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapNativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the capture filter of every interface in step with what the wire owns (see
 * {@link CaptureFilter}). Widening is synchronous, because the kernel must pass the requests for
 * an address before the wire answers for it; narrowing compiles the long expression on its own
 * thread, since libpcap's optimizer needs up to a few hundred milliseconds for it.
 *
 * <p>Widening to every ARP frame is cheap to compile but not to run: until the narrow filter is
 * set, every request on the LAN reaches the capture thread, and on a loaded node with a thousand
 * probed addresses its queue grew to a second of requests, answered late. So the filters for the
 * batches the wire expects to claim (a peer's addresses, {@link #expect}; a handover waiting for
 * its previous owners, {@link #awaiting}) are compiled ahead on the same thread, and a claim of
 * such a batch sets one of them instead.
 */
final class FilterKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FilterKeeper.class);
    /** Longer than a handover waits (3 s): a batch still not owned by then was withdrawn. */
    private static final long HANDOVER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Map<String, CapturePort> ports;
    private final Supplier<Set<IpAddress>> owned;
    private final Runnable widenedToEveryArp;
    private final CoalescingRunner narrowing = new CoalescingRunner("wire-filter", this::update);
    private final Object lock = new Object();
    /** The expression set on {@link #applied}; guarded by lock. */
    private String filter = CaptureFilter.EVERY_ARP;
    /** The IPv4 addresses whose requests {@link #filter} passes, null for all; guarded by lock. */
    private Set<IpAddress> passes;
    /** The captures that carry {@link #filter} (a reopened interface is a new capture); guarded by lock. */
    private Set<CapturePort> applied = Set.of();
    /**
     * Addresses widened for whose claim may not be owned yet (the wire widens first, then owns): a
     * narrowing must keep passing them, or one that read the owned set just before the claim landed
     * would shut them out until the next change. Guarded by lock.
     */
    private final Set<IpAddress> widened = new HashSet<>();
    /** The batches the wire may claim soon, as last given to {@link #expect}. */
    private volatile List<Set<IpAddress>> expected = List.of();
    /**
     * Batches of handovers waiting for their previous owners to go quiet ({@link #awaiting}): the
     * wire claims them within a few hundred milliseconds, or withdraws them. Guarded by lock.
     */
    private final List<Awaited> handovers = new ArrayList<>();

    /** A handover batch and when it started waiting (nanoTime). */
    private record Awaited(Set<IpAddress> ips, long since) {
    }
    /** Filters compiled for {@link #expected}; guarded by lock. */
    private final ReadyFilters ready = new ReadyFilters();

    /**
     * @param ports the wire's open captures, by interface (read, never changed here)
     * @param owned the addresses the wire answers for now
     * @param widenedToEveryArp told each time a claim finds no narrow filter that passes it
     */
    FilterKeeper(Map<String, CapturePort> ports, Supplier<Set<IpAddress>> owned, Runnable widenedToEveryArp) {
        this.ports = ports;
        this.owned = owned;
        this.widenedToEveryArp = widenedToEveryArp;
    }

    /** How a claim's requests came to pass the capture filter (logged with the claim). */
    enum Passing {
        /** The filter in force passed them already. */
        ALREADY,
        /** A filter compiled ahead for an expected batch was set. */
        READY,
        /** Every ARP frame passes until the narrow filter is compiled. */
        EVERY_ARP
    }

    /**
     * Makes sure every capture passes the requests for {@code ips}: when the current filter does
     * not, one compiled ahead that does, else every ARP frame passes at once (a short
     * expression, compiled in well under a millisecond). A capture opened since the last
     * narrowing passes every frame anyway.
     */
    Passing widenFor(Collection<IpAddress> ips) {
        synchronized (lock) {
            widened.addAll(ips);
            if (passes == null || passes.containsAll(ips)) {
                return Passing.ALREADY;
            }
            if (setReady()) {
                return Passing.READY;
            }
            setEverywhere(CaptureFilter.EVERY_ARP);
            widenedToEveryArp.run();
            return Passing.EVERY_ARP;
        }
    }

    /**
     * The wire now owns {@code ips}: the owned set carries them from here on. Kept among the
     * widened, a claim set from a filter compiled ahead (whose narrowing finds nothing to change)
     * would keep them passing after their release, and the wire would read, and answer late,
     * requests for addresses that have moved on.
     */
    void claimed(Collection<IpAddress> ips) {
        synchronized (lock) {
            widened.removeAll(ips);
        }
    }

    /** Asks for a filter that matches what is owned now; coalesced, on the filter thread. */
    void refresh() {
        narrowing.request();
    }

    /**
     * The batches of addresses the wire may claim soon (one per departure planned ahead): their
     * filters are compiled ahead, each passing what is owned now plus the batch.
     */
    void expect(List<Set<IpAddress>> batches) {
        List<Set<IpAddress>> copy = batches.stream().<Set<IpAddress>>map(Set::copyOf).toList();
        if (!copy.equals(expected)) {
            expected = copy;
            narrowing.request();
        }
    }

    /**
     * A batch the wire will claim once its previous owners stop answering: its filter is compiled
     * ahead like an expected batch's, until the batch is owned.
     */
    void awaiting(Set<IpAddress> batch) {
        synchronized (lock) {
            handovers.add(new Awaited(Set.copyOf(batch), System.nanoTime()));
        }
        narrowing.request();
    }

    /** What the filter passes now and the sizes of those compiled ahead, for tests. */
    String describe() {
        synchronized (lock) {
            return "passes=" + (passes == null ? "all" : passes.size()) + " ready=" + ready.sizes();
        }
    }

    private void update() {
        narrow();
        compileAhead();
    }

    /**
     * Sets a filter compiled ahead that passes every address owned or widened for, if one is
     * ready; the caller holds the lock.
     */
    private boolean setReady() {
        Set<CapturePort> targets = identitySet(ports.values());
        ReadyFilters.Ready match = ready.take(ownedOrWidened(), targets);
        if (match == null || !install(match, targets)) {
            return false;
        }
        LOG.debug("capture filter set from one compiled ahead addresses={}", passes.size());
        return true;
    }

    /**
     * Hands each capture its program and records what the filter now passes; false (the programs
     * not handed over freed, a warning) when a capture refused. The caller holds the lock.
     */
    private boolean install(ReadyFilters.Ready filters, Set<CapturePort> targets) {
        Map<CapturePort, BpfProgram> programs = new IdentityHashMap<>(filters.programs);
        for (CapturePort port : targets) {
            try {
                port.filter(programs.remove(port));
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                programs.values().forEach(BpfProgram::free);
                LOG.warn("capture filter not set interface={} error={}", port.port().name(), e.toString());
                return false;
            }
        }
        filter = filters.expression;
        passes = filters.expression.equals(CaptureFilter.EVERY_ARP) ? null : filters.passes;
        applied = targets;
        return true;
    }

    /** Every address owned or widened for: what a filter must pass now. The caller holds the lock. */
    private Set<IpAddress> ownedOrWidened() {
        Set<IpAddress> union = new HashSet<>(owned.get());
        union.addAll(widened);
        return union;
    }

    /**
     * Compiles the filter of every handover under way, then of every expected batch, that has none
     * yet (for the captures open now and what is owned now), keeps those still ready that match,
     * and frees the others.
     */
    private void compileAhead() {
        Set<CapturePort> targets = identitySet(ports.values());
        Set<IpAddress> base;
        List<Set<IpAddress>> soon = new ArrayList<>();
        synchronized (lock) {
            base = ownedOrWidened();
            Set<IpAddress> ownedNow = owned.get();
            long now = System.nanoTime();
            handovers.removeIf(h -> ownedNow.containsAll(h.ips()) || now - h.since() > HANDOVER_NANOS);
            handovers.forEach(h -> soon.add(h.ips()));
        }
        // Handovers are claimed within a few hundred milliseconds: their filters are ready first.
        if (!soon.isEmpty()) {
            compileRound(soon, base, targets, true);
        }
        List<Set<IpAddress>> all = new ArrayList<>(soon);
        all.addAll(expected);
        compileRound(all, base, targets, false);
    }

    /**
     * Compiles the filter of every batch that has none ready (each passing {@code base} plus the
     * batch) and makes them ready; the filters ready for other batches stay when {@code
     * keepOthers}, and are freed otherwise.
     */
    private void compileRound(List<Set<IpAddress>> batches, Set<IpAddress> base, Set<CapturePort> targets,
            boolean keepOthers) {
        Map<Set<IpAddress>, ReadyFilters.Ready> have;
        synchronized (lock) {
            have = ready.reusable(targets);
        }
        List<ReadyFilters.Ready> kept = new ArrayList<>();
        List<ReadyFilters.Ready> compiled = new ArrayList<>();
        for (Set<IpAddress> batch : batches) {
            Set<IpAddress> union = new HashSet<>(base);
            union.addAll(batch);
            Set<IpAddress> wanted = Set.copyOf(union);
            ReadyFilters.Ready r = have.remove(wanted);
            if (r != null) {
                kept.add(r);
                continue;
            }
            String expression = CaptureFilter.of(wanted);
            if (!expression.equals(CaptureFilter.EVERY_ARP)) {
                ReadyFilters.Ready fresh = ReadyFilters.compile(expression, wanted, targets);
                if (fresh != null) {
                    compiled.add(fresh);
                }
            }
        }
        if (keepOthers) {
            kept.addAll(have.values());
        }
        synchronized (lock) {
            ready.replace(compiled, kept);
        }
    }

    private void narrow() {
        Set<IpAddress> ownedNow = Set.copyOf(owned.get());
        Set<IpAddress> snapshot;
        synchronized (lock) {
            Set<IpAddress> union = new HashSet<>(ownedNow);
            union.addAll(widened);
            snapshot = Set.copyOf(union);
        }
        String expression = CaptureFilter.of(snapshot);
        Set<CapturePort> targets = identitySet(ports.values());
        synchronized (lock) {
            if (expression.equals(filter) && applied.equals(targets)) {
                return;
            }
        }
        // A failure leaves the wide filter in place.
        ReadyFilters.Ready compiled = ReadyFilters.compile(expression, snapshot, targets);
        if (compiled == null) {
            return;
        }
        synchronized (lock) {
            // Owned, claimed or opened meanwhile: keep the wide filter and try again.
            if (!snapshot.containsAll(owned.get()) || !snapshot.containsAll(widened)
                    || !targets.equals(identitySet(ports.values()))) {
                compiled.free();
                narrowing.request();
                return;
            }
            if (!install(compiled, targets)) {
                setEverywhere(CaptureFilter.EVERY_ARP);
                return;
            }
            LOG.debug("capture filter narrowed addresses={}", passes == null ? "all" : passes.size());
        }
    }

    /** Sets a short expression on every capture; the caller holds the lock. */
    private void setEverywhere(String expression) {
        Set<CapturePort> targets = identitySet(ports.values());
        for (CapturePort port : targets) {
            try {
                port.filter(port.compile(expression));
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                LOG.warn("capture filter not set interface={} error={}", port.port().name(), e.toString());
            }
        }
        filter = expression;
        passes = null;
        applied = targets;
    }

    private static Set<CapturePort> identitySet(Collection<CapturePort> ports) {
        return ReadyFilters.identitySet(ports);
    }

    @Override
    public void close() {
        narrowing.close();
        synchronized (lock) {
            ready.close();
        }
    }
}
