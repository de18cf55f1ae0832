package io.ferrolb.speaker.handoff;

import io.ferrolb.common.Daemons;
import io.ferrolb.net.IpAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Make-before-break for the handoff rules (docs/design.md §7.3): when a node stops announcing a Service, the
 * rules stay for a grace period, because clients keep sending to this node's MAC until the new
 * owner's gratuitous ARP reaches them; dropping those packets is what fails connections during a
 * handover. Installing the Service again within the grace period cancels the removal. On close,
 * pending removals still get their grace before everything is removed.
 */
public final class DrainingHandoff implements Handoff {

    private static final Logger LOG = LoggerFactory.getLogger(DrainingHandoff.class);
    /** Removals due within this of each other go in one batch: a release of hundreds is one change. */
    private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Handoff delegate;
    private final Duration grace;
    private final ScheduledExecutorService timer = Daemons.singleThread("handoff-drain");
    /** Draining Services and when their rules go (nanoTime). */
    private final Map<String, Long> pending = new HashMap<>();
    private final Map<String, List<IpAddress>> installed = new HashMap<>();
    private ScheduledFuture<?> sweep;
    private long sweepAt;
    private long lastRelease;

    public DrainingHandoff(Handoff delegate, Duration grace) {
        this.delegate = delegate;
        this.grace = grace;
    }

    @Override
    public synchronized void install(String service, List<IpAddress> ips, List<PortMapping> ports) {
        apply(Map.of(service, new Target(ips, ports)), Set.of());
    }

    @Override
    public synchronized void remove(String service) {
        apply(Map.of(), Set.of(service));
    }

    /**
     * Removals start their grace (or go at once without one); installs cancel a pending removal of
     * the same Service and end the drain of any other Service on the same address, whose DNAT
     * would come first and lead to a NodePort nobody serves any more. What goes now and what is
     * installed reach the delegate as one batch.
     */
    @Override
    public synchronized void apply(Map<String, Target> install, Set<String> remove) {
        Set<String> removeNow = new LinkedHashSet<>();
        long now = System.nanoTime();
        for (String service : remove) {
            if (grace.isZero()) {
                installed.remove(service);
                removeNow.add(service);
            } else if (!pending.containsKey(service) && installed.containsKey(service)) {
                lastRelease = now;
                pending.put(service, now + grace.toNanos());
            }
        }
        Set<IpAddress> addresses = new HashSet<>();
        install.values().forEach(t -> addresses.addAll(t.ips()));
        install.keySet().forEach(pending::remove);
        for (String other : List.copyOf(pending.keySet())) {
            if (installed.getOrDefault(other, List.of()).stream().anyMatch(addresses::contains)) {
                pending.remove(other);
                installed.remove(other);
                removeNow.add(other);
            }
        }
        install.forEach((service, target) -> installed.put(service, target.ips()));
        delegate.apply(install, removeNow);
        scheduleSweep();
    }

    @Override
    public void reconcile() {
        delegate.reconcile();
    }

    @Override
    public boolean standsBy() {
        return delegate.standsBy();
    }

    /** Arms the timer for the earliest pending removal, unless it is armed for it already. */
    private void scheduleSweep() {
        long next = pending.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        if (next == Long.MAX_VALUE || (sweep != null && !sweep.isDone() && sweepAt <= next)) {
            return;
        }
        if (sweep != null) {
            sweep.cancel(false);
        }
        sweepAt = next;
        sweep = timer.schedule(this::sweep, Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Removes, in one change, every Service whose grace is over (or nearly). */
    private synchronized void sweep() {
        long now = System.nanoTime();
        Set<String> due = new LinkedHashSet<>();
        pending.forEach((service, at) -> {
            if (at - now <= BATCH_NANOS) {
                due.add(service);
            }
        });
        due.forEach(service -> {
            pending.remove(service);
            installed.remove(service);
        });
        sweep = null;
        if (!due.isEmpty()) {
            try {
                delegate.apply(Map.of(), due);
                LOG.debug("handoff drained services={}", due.size());
            } catch (HandoffException e) {
                // The delegate keeps the family unsynced and converges it at its next call; the
                // loop's next reconcile gets there too.
                LOG.error("handoff removal after the drain failed services={} error={}", due.size(), e.getMessage());
            }
        }
        scheduleSweep();
    }

    /** Waits out the grace period of the latest release, then removes every rule. */
    @Override
    public void close() {
        long waitNanos;
        synchronized (this) {
            waitNanos = pending.isEmpty() ? 0 : grace.toNanos() - (System.nanoTime() - lastRelease);
        }
        if (waitNanos > 0) {
            LOG.info("handoff draining before exit graceMs={}", waitNanos / 1_000_000);
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (sweep != null) {
                sweep.cancel(false);
            }
            pending.clear();
        }
        timer.shutdownNow();
        delegate.close();
    }
}
