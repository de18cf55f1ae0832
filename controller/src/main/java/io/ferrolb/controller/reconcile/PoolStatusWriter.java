package io.ferrolb.controller.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.common.ApiErrors;
import io.ferrolb.common.Daemons;
import io.ferrolb.controller.allocator.PoolCounters;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes IPAddressPool status counters (assigned/available per family) through the status
 * subresource, only when they changed. Allocations come in bursts, so writes are coalesced: the
 * latest counters of a pool are written at most once per period. What was written is remembered
 * per pool object (name and UID): a pool deleted and created again under its name has no status,
 * even when its counters equal the old one's.
 */
public final class PoolStatusWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PoolStatusWriter.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, PoolCounters> pending = new ConcurrentHashMap<>();
    private final Map<String, String> uids = new ConcurrentHashMap<>();
    private final Map<String, Written> written = new HashMap<>();
    private final ScheduledExecutorService executor = Daemons.singleThread("pool-status");

    public PoolStatusWriter(KubernetesClient client, String namespace, Duration period) {
        this.client = client;
        this.namespace = namespace;
        executor.scheduleWithFixedDelay(this::flush, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private record Written(String uid, PoolCounters counters) {
    }

    /** The UID of every pool object in the namespace, by name, as the pool cache has them now. */
    public void identities(Map<String, String> uidByName) {
        uids.putAll(uidByName);
        uids.keySet().retainAll(uidByName.keySet());
    }

    /** The current counters of every configured pool. */
    public void offer(Map<String, PoolCounters> counters) {
        pending.putAll(counters);
        pending.keySet().retainAll(counters.keySet());
    }

    private void flush() {
        written.keySet().retainAll(pending.keySet());
        for (Map.Entry<String, PoolCounters> e : Map.copyOf(pending).entrySet()) {
            Written now = new Written(uids.get(e.getKey()), e.getValue());
            if (now.equals(written.get(e.getKey()))) {
                continue;
            }
            PoolCounters c = e.getValue();
            String patch = "{\"status\":{\"assignedIPv4\":%d,\"assignedIPv6\":%d,\"availableIPv4\":%d,\"availableIPv6\":%d}}"
                    .formatted(c.assignedIPv4(), c.assignedIPv6(), c.availableIPv4(), c.availableIPv6());
            try {
                client.resources(IPAddressPool.class).inNamespace(namespace).withName(e.getKey()).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                written.put(e.getKey(), now);
            } catch (KubernetesClientException ex) {
                LOG.warn("cannot update pool status pool={} error={}", e.getKey(), ApiErrors.describe(ex));
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
