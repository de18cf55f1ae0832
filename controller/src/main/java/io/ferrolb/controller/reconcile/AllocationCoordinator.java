package io.ferrolb.controller.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.common.ApiErrors;
import io.ferrolb.config.Config;
import io.ferrolb.controller.allocator.Allocator;
import io.ferrolb.controller.allocator.PoolCounters;
import io.ferrolb.controller.allocator.PoolSet;
import io.ferrolb.controller.convergence.Outcome;
import io.ferrolb.controller.convergence.ServiceEvent;
import io.ferrolb.controller.convergence.ServiceHandler;
import io.ferrolb.controller.convergence.SyncState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** Writes of one pass run in parallel: the API server, not this process, bounds their rate. */
    private static final int PASS_WRITERS = 8;

    private final ReentrantLock lock = new ReentrantLock();
    private final Allocator allocator = new Allocator();
    private final ServiceHandler handler = new ServiceHandler(allocator);
    private final ServiceWriter writer;
    private final ControllerMetrics metrics;
    private final LoadBalancerClass lbClass;
    private final Consumer<Map<String, PoolCounters>> poolCountersListener;
    private final ScheduledExecutorService reprocessor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reprocess-all");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean reprocessQueued = new AtomicBoolean();
    private final PendingWrites pending = new PendingWrites();
    private final ExecutorService passWriters = Executors.newFixedThreadPool(PASS_WRITERS, r -> {
        Thread t = new Thread(r, "pass-writer");
        t.setDaemon(true);
        return t;
    });
    private volatile Supplier<Stream<Service>> services = Stream::empty;
    private volatile Supplier<Map<String, Map<String, String>>> namespaceLabels = Map::of;
    private volatile boolean initialLoadDone;
    private volatile BooleanSupplier cachesSynced = () -> true;
    private Config config;
    private long backoffMillis;

    public AllocationCoordinator(ServiceWriter writer, ControllerMetrics metrics, LoadBalancerClass lbClass,
                                 Consumer<Map<String, PoolCounters>> poolCountersListener) {
        this.writer = writer;
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

    /** True once the configuration is loaded and the first pass over all Services is done. */
    public boolean ready() {
        return initialLoadDone;
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
        apply(service, outcome);
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
            pending.forget(key);
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
        if (reprocessQueued.compareAndSet(false, true)) {
            reprocessor.execute(this::reprocessAll);
        }
    }

    private void reprocessAll() {
        reprocessQueued.set(false);
        if (config == null) {
            return;
        }
        if (!initialLoadDone && !cachesSynced.getAsBoolean()) {
            reprocessor.schedule(this::requestReprocess, 50, TimeUnit.MILLISECONDS);
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
            reprocessor.schedule(this::requestReprocess, backoffMillis, TimeUnit.MILLISECONDS);
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
        Map<Service, Outcome> outcomes = new LinkedHashMap<>();
        boolean again = false;
        lock.lock();
        try {
            for (Service service : all) {
                Outcome outcome = decide(service);
                outcomes.put(service, outcome);
                again |= outcome.state() == SyncState.REPROCESS_ALL;
            }
        } finally {
            lock.unlock();
        }
        boolean first = !initialLoadDone;
        initialLoadDone = true;
        publishCounters();
        List<Future<Boolean>> writes = new ArrayList<>();
        outcomes.forEach((service, outcome) -> {
            metrics.update();
            writes.add(passWriters.submit(() -> apply(service, outcome)));
        });
        List<String> failed = new ArrayList<>();
        for (Future<Boolean> write : writes) {
            try {
                if (!write.get()) {
                    failed.add("write");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            } catch (ExecutionException e) {
                failed.add(e.getCause().toString());
            }
        }
        if (first) {
            LOG.info("initial load done services={} allocated={}", all.size(), allocatedCount());
        }
        return again || !failed.isEmpty();
    }

    /** Decides one Service on its effective version; the caller holds the lock. */
    private Outcome decide(Service fromCache) {
        long started = System.nanoTime();
        String key = fromCache.getMetadata().getNamespace() + "/" + fromCache.getMetadata().getName();
        Service effective = pending.effective(key, fromCache);
        Outcome outcome = handler.handle(effective);
        if (outcome.toWrite() != null) {
            pending.decided(key, effective, outcome.toWrite());
        }
        metrics.decisions().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return outcome;
    }

    /** Records the events and writes the Service; false if the write failed. */
    private boolean apply(Service service, Outcome outcome) {
        for (ServiceEvent event : outcome.events()) {
            writer.record(service, event);
        }
        if (outcome.toWrite() == null) {
            return true;
        }
        String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
        long started = System.nanoTime();
        try {
            Service stored = writer.writeStatus(outcome.toWrite());
            pending.written(key, outcome.toWrite(), stored);
            metrics.writes().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            LOG.info("service updated service={}/{} ingress={}", service.getMetadata().getNamespace(),
                    service.getMetadata().getName(), ingressOf(outcome.toWrite()));
            return true;
        } catch (RuntimeException e) {
            pending.failed(key, outcome.toWrite());
            metrics.updateError();
            LOG.warn("cannot update service service={}/{} error={}", service.getMetadata().getNamespace(),
                    service.getMetadata().getName(), ApiErrors.describe(e));
            requestReprocessLater();
            return false;
        }
    }

    private void requestReprocessLater() {
        reprocessor.schedule(this::requestReprocess, 500, TimeUnit.MILLISECONDS);
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

    private static List<String> ingressOf(Service service) {
        return service.getStatus().getLoadBalancer().getIngress() == null ? List.of()
                : service.getStatus().getLoadBalancer().getIngress().stream().map(i -> i.getIp()).toList();
    }

    @Override
    public void close() {
        reprocessor.shutdownNow();
        passWriters.shutdownNow();
    }
}
