package io.ferrolb.controller.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-your-writes over the informer cache. After the controller decides a Service's status, the
 * cache keeps delivering the version the decision was based on until the write comes back as an
 * event; deciding again on that stale copy would free and re-allocate its address, and two
 * Services decided that way can swap addresses. So while the cache still shows the base version,
 * the coordinator decides on what it wrote (or is writing) instead. Any other version (our write,
 * or someone's later change) replaces the overlay: the cache delivers versions in order.
 */
final class PendingWrites {

    /** The version a decision was based on, and the object written (or being written) for it. */
    private record Entry(String baseResourceVersion, Service written) {
    }

    private final Map<String, Entry> byService = new ConcurrentHashMap<>();

    /** The object to decide on: ours while the cache is behind, else the cache's. */
    Service effective(String key, Service fromCache) {
        Entry entry = byService.get(key);
        if (entry == null) {
            return fromCache;
        }
        if (Objects.equals(entry.baseResourceVersion(), fromCache.getMetadata().getResourceVersion())) {
            return entry.written();
        }
        byService.remove(key, entry);
        return fromCache;
    }

    /** A decision to write {@code toWrite}, based on {@code base}. */
    void decided(String key, Service base, Service toWrite) {
        byService.put(key, new Entry(base.getMetadata().getResourceVersion(), toWrite));
    }

    /** The write of {@code toWrite} succeeded; the API server returned {@code stored}. */
    void written(String key, Service toWrite, Service stored) {
        byService.computeIfPresent(key, (k, e) -> e.written() == toWrite
                ? new Entry(e.baseResourceVersion(), stored) : e);
    }

    /** The write of {@code toWrite} failed: decide again on whatever the cache delivers. */
    void failed(String key, Service toWrite) {
        byService.computeIfPresent(key, (k, e) -> e.written() == toWrite ? null : e);
    }

    void forget(String key) {
        byService.remove(key);
    }
}
