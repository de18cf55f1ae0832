package io.ferrolb.controller.allocator;

import io.ferrolb.config.Config;
import io.ferrolb.config.Pool;
import io.ferrolb.config.PoolAllocation;
import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pools as the allocator sees them: the configuration with each pool's namespace selectors
 * resolved against the current namespace labels, as MetalLB resolves them when it parses its
 * configuration.
 */
public final class PoolSet {

    private static final PoolSet EMPTY = new PoolSet(Map.of(), Map.of(), Map.of(), List.of());

    private final Map<String, Pool> byName;
    private final Map<String, Set<String>> namespacesOfPool;
    private final Map<String, List<String>> byNamespace;
    private final List<String> byServiceSelector;

    private PoolSet(Map<String, Pool> byName, Map<String, Set<String>> namespacesOfPool,
                    Map<String, List<String>> byNamespace, List<String> byServiceSelector) {
        this.byName = byName;
        this.namespacesOfPool = namespacesOfPool;
        this.byNamespace = byNamespace;
        this.byServiceSelector = byServiceSelector;
    }

    public static PoolSet empty() {
        return EMPTY;
    }

    /**
     * @param namespaceLabels the labels of every namespace, by name
     */
    public static PoolSet resolve(Config config, Map<String, Map<String, String>> namespaceLabels) {
        Map<String, Pool> byName = new LinkedHashMap<>();
        Map<String, Set<String>> namespacesOfPool = new TreeMap<>();
        Map<String, List<String>> byNamespace = new TreeMap<>();
        List<String> byServiceSelector = new ArrayList<>();
        for (Pool pool : config.pools()) {
            byName.put(pool.name(), pool);
            if (pool.allocation().isEmpty()) {
                continue;
            }
            PoolAllocation allocation = pool.allocation().get();
            Set<String> namespaces = allocation.resolveNamespaces(namespaceLabels);
            namespacesOfPool.put(pool.name(), namespaces);
            for (String namespace : namespaces) {
                byNamespace.computeIfAbsent(namespace, k -> new ArrayList<>()).add(pool.name());
            }
            if (!allocation.serviceSelectors().isEmpty()) {
                byServiceSelector.add(pool.name());
            }
        }
        return new PoolSet(java.util.Collections.unmodifiableMap(byName), namespacesOfPool, byNamespace,
                List.copyOf(byServiceSelector));
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    public Pool pool(String name) {
        return byName.get(name);
    }

    public Collection<Pool> pools() {
        return byName.values();
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /**
     * A pool may serve a Service when its resolved namespaces (if any) contain the Service's
     * namespace and one of its service selectors (if any) matches the Service's labels. A pool
     * whose namespace selectors match no namespace restricts nothing here, as in MetalLB.
     */
    public boolean compatible(Pool pool, ServiceInfo service) {
        if (pool.allocation().isEmpty()) {
            return true;
        }
        Set<String> namespaces = namespacesOfPool.getOrDefault(pool.name(), Set.of());
        if (!namespaces.isEmpty() && !namespaces.contains(service.namespace())) {
            return false;
        }
        PoolAllocation allocation = pool.allocation().get();
        return allocation.serviceSelectors().isEmpty() || allocation.selectsService(service.labels());
    }

    /**
     * The auto-assign pools pinned to the Service (by namespace, then by service selector), in
     * priority order: positive priorities ascending, then priority 0; ties by name, where MetalLB's
     * order is unspecified.
     */
    public List<Pool> pinnedFor(ServiceInfo service) {
        List<Pool> pinned = new ArrayList<>();
        List<String> names = new ArrayList<>(byNamespace.getOrDefault(service.namespace(), List.of()));
        names.addAll(byServiceSelector);
        for (String name : names) {
            Pool pool = byName.get(name);
            if (pool != null && pool.autoAssign() && compatible(pool, service)) {
                pinned.add(pool);
            }
        }
        pinned.sort(Comparator.comparingInt(PoolSet::priorityRank).thenComparing(Pool::name));
        return pinned;
    }

    /** The pools any Service may get an address from automatically: auto-assign, no serviceAllocation. */
    public List<Pool> fallbacks() {
        return byName.values().stream().filter(p -> p.autoAssign() && p.allocation().isEmpty()).toList();
    }

    /** The pool holding every one of the addresses (skipping .0/.255 in avoidBuggyIPs pools), if any. */
    public Pool poolFor(List<IpAddress> ips) {
        for (Pool pool : byName.values()) {
            int contained = 0;
            for (IpAddress ip : ips) {
                if (pool.avoidBuggyIPs() && BuggyIps.confusesFirmware(ip)) {
                    continue;
                }
                if (pool.contains(ip)) {
                    contained++;
                }
            }
            if (contained == ips.size()) {
                return pool;
            }
        }
        return null;
    }

    private static int priorityRank(Pool pool) {
        int priority = pool.allocation().map(PoolAllocation::priority).orElse(0);
        return priority > 0 ? priority : Integer.MAX_VALUE;
    }
}
