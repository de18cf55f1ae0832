package io.ferrolb.controller.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.common.CoalescingRunner;
import io.ferrolb.config.Config;
import io.ferrolb.controller.allocator.Allocator;
import io.ferrolb.controller.allocator.PoolCounters;
import io.ferrolb.controller.allocator.PoolSet;
import io.ferrolb.controller.convergence.Outcome;
import io.ferrolb.controller.convergence.ServiceHandler;
import io.ferrolb.controller.convergence.SyncState;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises every allocation decision and applies the results. Reconcilers report what they see;
 * this class decides under one lock, then writes outside it.
 *
 * <p>Start-up (MetalLB's initial load): nothing is decided before the configuration is loaded;
 * then one pass over every Service, those holding the most addresses first, rebuilds the
 * allocator from their statuses before any new address is handed out, so a restart never moves
 * an address. Individual Service events are ignored until that pass is done.
 */
public final class AllocationCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AllocationCoordinator.class);
    private static final int PASSES_BEFORE_BACKOFF = 5;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Allocator allocator = new Allocator();
    private final ServiceHandler handler = new ServiceHandler(allocator);
    private final StatusApplier applier;
    private final ControllerMetrics metrics;
    private final LoadBalancerClass lbClass;
    private final Consumer<Map<String, PoolCounters>> poolCountersListener;
    private final CoalescingRunner reprocessor = new CoalescingRunner("reprocess-all", this::reprocessAll);
    private volatile Supplier<Stream<Service>> services = Stream::empty;
    private volatile Supplier<Map<String, Map<String, String>>> namespaceLabels = Map::of;
    private volatile boolean initialLoadDone;
    /** The first pass's decisions are all written: what /readyz waits for. */
    private volatile boolean firstPassWritten;
    private volatile BooleanSupplier cachesSynced = () -> true;
    private Config config;
    private long backoffMillis;

    public AllocationCoordinator(ServiceWriter writer, ControllerMetrics metrics, LoadBalancerClass lbClass,
                                 Consumer<Map<String, PoolCounters>> poolCountersListener) {
        this.applier = new StatusApplier(writer, metrics);
        this.metrics = metrics;
        this.lbClass = lbClass;
        this.poolCountersListener = poolCountersListener;
    }

    /** Where the current Services are (the Service informer's cache). */
    public void servicesFrom(Supplier<Stream<Service>> cache) {
        this.services = cache;
    }

    /** Where the current namespace labels are, for pools with namespaceSelectors. */
    public void namespaceLabelsFrom(Supplier<Map<String, Map<String, String>>> labels) {
        this.namespaceLabels = labels;
    }

    /**
     * Until this says so, nothing is decided: a configuration or a first pass over a half-listed
     * cache would take addresses from pools or Services not seen yet.
     */
    public void cachesSyncedWhen(BooleanSupplier synced) {
        this.cachesSynced = synced;
    }

    /**
     * True once the configuration is loaded and a pass over all Services has been decided and
     * written without a failed write: before that, a Service's status may still show what a
     * previous controller (or none) wrote.
     */
    public boolean ready() {
        return firstPassWritten;
    }

    /** A newly parsed configuration; unchanged ones are ignored. */
    public void onConfig(Config newConfig) {
        lock.lock();
        try {
            if (newConfig.equals(config)) {
                return;
            }
            config = newConfig;
            applyPools();
        } finally {
            lock.unlock();
        }
        metrics.configLoaded();
        LOG.info("config loaded pools={}", newConfig.pools().size());
        requestReprocess();
    }

    /** Namespace labels changed; pools pinned by namespace selectors may now pin others. */
    public void onNamespacesChanged() {
        lock.lock();
        try {
            if (config == null || config.pools().stream().noneMatch(p -> p.allocation()
                    .map(a -> !a.namespaceSelectors().isEmpty()).orElse(false))) {
                return;
            }
            applyPools();
        } finally {
            lock.unlock();
        }
        requestReprocess();
    }

    /** A Service was created or changed. */
    public void onService(Service service) {
        if (!lbClass.serves(service)) {
            return;
        }
        if (!initialLoadDone) {
            // The pending or running initial pass may not have seen this version; one more pass will.
            requestReprocess();
            return;
        }
        metrics.update();
        Outcome outcome;
        lock.lock();
        try {
            outcome = decide(service);
        } finally {
            lock.unlock();
        }
        publishCounters();
        if (!applier.apply(service, outcome)) {
            requestReprocessLater();
        }
        if (outcome.state() == SyncState.REPROCESS_ALL) {
            requestReprocess();
        }
    }

    /** A Service is gone (MetalLB reacts to a deletion whatever the Service's class was). */
    public void onServiceDeleted(String key) {
        if (!initialLoadDone) {
            requestReprocess();
            return;
        }
        metrics.update();
        Outcome outcome;
        lock.lock();
        try {
            applier.forget(key);
            outcome = handler.deleted(key);
        } finally {
            lock.unlock();
        }
        if (outcome.state() == SyncState.REPROCESS_ALL) {
            LOG.info("service deleted, addresses released service={}", key);
            publishCounters();
            requestReprocess();
        }
    }

    /** Handle every Service again, soon, on the reprocessor thread (coalesced). */
    public void requestReprocess() {
        reprocessor.request();
    }

    private void reprocessAll() {
        if (!configLoaded()) {
            return;
        }
        if (!initialLoadDone && !cachesSynced.getAsBoolean()) {
            reprocessor.requestAfter(Duration.ofMillis(50));
            return;
        }
        boolean again = false;
        for (int pass = 0; pass < PASSES_BEFORE_BACKOFF; pass++) {
            again = reprocessPass();
            if (!again) {
                break;
            }
        }
        if (again) {
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoffMillis * 2));
            LOG.info("services still converging, retrying in {} ms", backoffMillis);
            reprocessor.requestAfter(Duration.ofMillis(backoffMillis));
        } else {
            backoffMillis = 0;
        }
    }

    /** One pass over every Service; true if any of them asks for another. */
    private boolean reprocessPass() {
        List<Service> all = services.get().filter(lbClass::serves)
                .sorted(Comparator.comparingInt(AllocationCoordinator::ingressCount).reversed()
                        .thenComparing(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()))
                .toList();
        List<StatusApplier.Decided> outcomes = new java.util.ArrayList<>(all.size());
        boolean again = false;
        lock.lock();
        try {
            for (Service service : all) {
                Outcome outcome = decide(service);
                outcomes.add(new StatusApplier.Decided(service, outcome));
                again |= outcome.state() == SyncState.REPROCESS_ALL;
            }
        } finally {
            lock.unlock();
        }
        boolean first = !initialLoadDone;
        initialLoadDone = true;
        publishCounters();
        outcomes.forEach(o -> metrics.update());
        int failed;
        try {
            failed = applier.applyAll(outcomes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        if (first) {
            LOG.info("initial load done services={} allocated={} failedWrites={}", all.size(), allocatedCount(),
                    failed);
        }
        if (failed == 0 && !firstPassWritten) {
            firstPassWritten = true;
            LOG.info("first pass written: ready services={}", all.size());
        }
        return again || failed > 0;
    }

    /** Decides one Service on its effective version; the caller holds the lock. */
    private Outcome decide(Service fromCache) {
        long started = System.nanoTime();
        String key = fromCache.getMetadata().getNamespace() + "/" + fromCache.getMetadata().getName();
        Service effective = applier.effective(key, fromCache);
        Outcome outcome = handler.handle(effective);
        applier.decided(key, effective, outcome);
        metrics.decisions().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return outcome;
    }

    /** Read under the lock: onConfig sets it on another thread. */
    private boolean configLoaded() {
        lock.lock();
        try {
            return config != null;
        } finally {
            lock.unlock();
        }
    }

    private void requestReprocessLater() {
        reprocessor.requestAfter(Duration.ofMillis(500));
    }

    private void applyPools() {
        Set<String> before = allocator.pools().names();
        allocator.setPools(PoolSet.resolve(config, namespaceLabels.get()));
        if (!before.equals(allocator.pools().names())) {
            LOG.info("pools changed pools={}", allocator.pools().names());
        }
    }

    private void publishCounters() {
        Map<String, PoolCounters> counters = new LinkedHashMap<>();
        lock.lock();
        try {
            for (String pool : allocator.pools().names()) {
                counters.put(pool, allocator.counters(pool));
            }
        } finally {
            lock.unlock();
        }
        metrics.pools(counters);
        poolCountersListener.accept(counters);
    }

    private int allocatedCount() {
        lock.lock();
        try {
            return allocator.size();
        } finally {
            lock.unlock();
        }
    }

    private static int ingressCount(Service service) {
        return service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null ? 0
                : service.getStatus().getLoadBalancer().getIngress().size();
    }

    @Override
    public void close() {
        reprocessor.close();
        applier.close();
    }
}
