package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.common.CoalescingRunner;
import io.ferrolb.net.IpAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
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
 */
final class FilterKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FilterKeeper.class);

    private final Map<String, CapturePort> ports;
    private final Supplier<Set<IpAddress>> owned;
    private final CoalescingRunner narrowing = new CoalescingRunner("wire-filter", this::narrow);
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

    /**
     * @param ports the wire's open captures, by interface (read, never changed here)
     * @param owned the addresses the wire answers for now
     */
    FilterKeeper(Map<String, CapturePort> ports, Supplier<Set<IpAddress>> owned) {
        this.ports = ports;
        this.owned = owned;
    }

    /**
     * Makes sure every capture passes the requests for {@code ips}: when the current filter does
     * not, every ARP frame passes at once (a short expression, compiled in well under a
     * millisecond). A capture opened since the last narrowing passes every frame anyway.
     */
    void widenFor(Collection<IpAddress> ips) {
        synchronized (lock) {
            widened.addAll(ips);
            if (passes != null && !passes.containsAll(ips)) {
                setEverywhere(CaptureFilter.EVERY_ARP);
            }
        }
    }

    /** Asks for a filter that matches what is owned now; coalesced, on the filter thread. */
    void refresh() {
        narrowing.request();
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
        Map<CapturePort, BpfProgram> programs = new IdentityHashMap<>();
        try {
            for (CapturePort port : targets) {
                programs.put(port, port.compile(expression));
            }
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            programs.values().forEach(BpfProgram::free);
            LOG.warn("capture filter not compiled error={}; passing every ARP frame", e.toString());
            return;
        }
        synchronized (lock) {
            // Owned, claimed or opened meanwhile: keep the wide filter and try again.
            if (!snapshot.containsAll(owned.get()) || !snapshot.containsAll(widened)
                    || !targets.equals(identitySet(ports.values()))) {
                programs.values().forEach(BpfProgram::free);
                narrowing.request();
                return;
            }
            for (CapturePort port : targets) {
                try {
                    port.filter(programs.remove(port));
                } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                    programs.values().forEach(BpfProgram::free);
                    LOG.warn("capture filter not set interface={} error={}", port.port().name(), e.toString());
                    setEverywhere(CaptureFilter.EVERY_ARP);
                    return;
                }
            }
            filter = expression;
            passes = expression.equals(CaptureFilter.EVERY_ARP) ? null : snapshot;
            applied = targets;
            // Owned when this narrowing began: later narrowings see them in the owned set.
            widened.removeAll(ownedNow);
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
        Set<CapturePort> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(ports);
        return set;
    }

    @Override
    public void close() {
        narrowing.close();
    }
}
