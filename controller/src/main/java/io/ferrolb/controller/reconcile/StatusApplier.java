package io.ferrolb.controller.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.common.ApiErrors;
import io.ferrolb.common.Daemons;
import io.ferrolb.controller.convergence.Outcome;
import io.ferrolb.controller.convergence.ServiceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of the coordinator: events and status writes of decided outcomes, with the
 * read-your-writes bookkeeping that keeps later decisions off stale cache copies.
 */
final class StatusApplier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusApplier.class);
    /** Writes of one pass run in parallel: the API server, not this process, bounds their rate. */
    private static final int PASS_WRITERS = 8;

    /** A Service as the cache showed it and what was decided for it. */
    record Decided(Service service, Outcome outcome) {
    }

    private final ServiceWriter writer;
    private final ControllerMetrics metrics;
    private final PendingWrites pending = new PendingWrites();
    private final ExecutorService passWriters = Executors.newFixedThreadPool(PASS_WRITERS, Daemons.named("pass-writer"));

    StatusApplier(ServiceWriter writer, ControllerMetrics metrics) {
        this.writer = writer;
        this.metrics = metrics;
    }

    /** The version to decide on; see {@link PendingWrites}. */
    Service effective(String key, Service fromCache) {
        return pending.effective(key, fromCache);
    }

    /** Remembers a decision to write before the decision's lock is released. */
    void decided(String key, Service base, Outcome outcome) {
        if (outcome.toWrite() != null) {
            pending.decided(key, base, outcome.toWrite());
        }
    }

    void forget(String key) {
        pending.forget(key);
    }

    /** Records the events and writes the Service; false if the write failed. */
    boolean apply(Service service, Outcome outcome) {
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
            LOG.info("service updated service={} ingress={}", key, ingressOf(outcome.toWrite()));
            return true;
        } catch (RuntimeException e) {
            pending.failed(key, outcome.toWrite());
            metrics.updateError();
            LOG.warn("cannot update service service={} error={}", key, ApiErrors.describe(e));
            return false;
        }
    }

    /** Applies the outcomes of a pass in parallel; returns how many writes failed. */
    int applyAll(List<Decided> outcomes) throws InterruptedException {
        List<Future<Boolean>> writes = new ArrayList<>();
        for (Decided d : outcomes) {
            writes.add(passWriters.submit(() -> apply(d.service(), d.outcome())));
        }
        int failed = 0;
        for (Future<Boolean> write : writes) {
            try {
                failed += write.get() ? 0 : 1;
            } catch (ExecutionException e) {
                failed++;
            }
        }
        return failed;
    }

    private static List<String> ingressOf(Service service) {
        return service.getStatus().getLoadBalancer().getIngress() == null ? List.of()
                : service.getStatus().getLoadBalancer().getIngress().stream().map(i -> i.getIp()).toList();
    }

    @Override
    public void close() {
        passWriters.shutdownNow();
    }
}
