package io.ferrolb.controller.allocator;

import io.ferrolb.config.Pool;
import io.ferrolb.net.Cidr;
import io.ferrolb.net.GoQuote;
import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Service holds which addresses, and the rules for handing out more: MetalLB's allocator.
 * Not thread-safe; the controller serialises every call.
 *
 * <p>Sharing: an address may be held by several Services only when all carry the same non-empty
 * sharing key and backend key and their ports do not overlap. A Service re-assigning its own
 * addresses always succeeds if nothing else changed.
 */
public final class Allocator {

    private final Map<String, Allocation> allocated = new HashMap<>();
    private final Map<IpAddress, SharingKey> sharingKeyForIp = new HashMap<>();
    /** The keys of {@link #sharingKeyForIp} as runs: where the next untaken address is. */
    private final TakenRuns taken = new TakenRuns();
    private final Map<IpAddress, Map<Port, String>> portsInUse = new HashMap<>();
    private final Map<IpAddress, Set<String>> servicesOnIp = new HashMap<>();
    private final PoolUsage usage = new PoolUsage();
    private PoolSet pools = PoolSet.empty();

    /** The sharing key and backend key an address was taken with. */
    record SharingKey(String sharing, String backend) {
        /** Both allow sharing, with the same key, towards the same backends. */
        boolean allowsSharingWith(SharingKey other) {
            return !sharing.isEmpty() && !other.sharing.isEmpty() && sharing.equals(other.sharing)
                    && backend.equals(other.backend);
        }
    }

    private record Allocation(String pool, List<IpAddress> ips, List<Port> ports, SharingKey key) {
    }

    /**
     * Replaces the pools. Allocations whose addresses left every pool are dropped (the Service
     * will fail re-validation and be re-allocated); allocations that moved to another pool follow.
     *
     * @return the pools whose counters may have changed, removed ones included
     */
    public Set<String> setPools(PoolSet newPools) {
        Set<String> touched = new TreeSet<>(pools.names());
        touched.addAll(newPools.names());
        pools = newPools;
        for (Map.Entry<String, Allocation> e : List.copyOf(allocated.entrySet())) {
            Pool pool = pools.poolFor(e.getValue().ips());
            if (pool == null) {
                unassign(e.getKey());
            } else if (!pool.name().equals(e.getValue().pool())) {
                Allocation moved = new Allocation(pool.name(), e.getValue().ips(), e.getValue().ports(),
                        e.getValue().key());
                record(e.getKey(), moved);
            }
        }
        usage.retainPools(pools.names());
        return touched;
    }

    public PoolSet pools() {
        return pools;
    }

    /**
     * Gives the Service exactly these addresses if the configuration and the other holders allow
     * it: one pool holds them all, the pool accepts the Service, at most one per family, and every
     * address is free or shareable.
     */
    public AllocationResult assign(ServiceInfo service, List<IpAddress> ips) {
        Pool pool = pools.poolFor(ips);
        if (pool == null) {
            return failed(quoteIps(ips) + " is not allowed in config");
        }
        if (!pools.compatible(pool, service)) {
            return failed("pool " + pool.name() + " not compatible for ip assignment");
        }
        if (ips.size() > 2) {
            return failed("more than two addresses " + quoteIps(ips));
        }
        if (ips.size() == 2 && ips.get(0).family() == ips.get(1).family()) {
            return failed(GoQuote.quote(ips.get(0).toString()) + " " + GoQuote.quote(ips.get(1).toString())
                    + " has the same family");
        }
        SharingKey key = new SharingKey(service.sharingKey(), service.backendKey());
        for (IpAddress ip : ips) {
            String refusal = sharingRefusal(service.key(), ip, service.ports(), key);
            if (refusal != null) {
                return failed(refusal);
            }
        }
        record(service.key(), new Allocation(pool.name(), List.copyOf(ips), service.ports(), key));
        return new AllocationResult.Assigned(ips, pool.name());
    }

    /** Frees whatever the Service holds. */
    public void unassign(String serviceKey) {
        Allocation previous = allocated.remove(serviceKey);
        if (previous == null) {
            return;
        }
        for (IpAddress ip : previous.ips()) {
            Map<Port, String> ports = portsInUse.get(ip);
            for (Port port : previous.ports()) {
                ports.remove(port);
            }
            Set<String> holders = servicesOnIp.get(ip);
            holders.remove(serviceKey);
            if (holders.isEmpty()) {
                servicesOnIp.remove(ip);
            }
            if (ports.isEmpty()) {
                portsInUse.remove(ip);
                sharingKeyForIp.remove(ip);
                taken.remove(ip);
            }
            usage.release(previous.pool(), ip);
        }
    }

    /**
     * Automatic allocation: the pinned pools of the Service in priority order, then every
     * auto-assign pool without a serviceAllocation. A Service that already holds addresses keeps
     * them if it still may.
     */
    public AllocationResult allocate(ServiceInfo service, Family family) {
        Allocation current = allocated.get(service.key());
        if (current != null) {
            return assign(service, current.ips());
        }
        AllocationResult pinned = allocateFromPools(pools.pinnedFor(service), service, family);
        if (pinned.succeeded()) {
            return pinned;
        }
        AllocationResult fallback = allocateFromPools(pools.fallbacks(), service, family);
        return fallback.succeeded() ? fallback : failed("no available IPs");
    }

    /** Allocation from one named pool ({@code metallb.io/address-pool}); ignores autoAssign. */
    public AllocationResult allocateFromPool(ServiceInfo service, Family family, String poolName) {
        Allocation current = allocated.get(service.key());
        if (current != null) {
            Family held;
            try {
                held = Family.ofIps(current.ips());
            } catch (IllegalArgumentException e) {
                return failed(e.getMessage());
            }
            if (service.policy() != FamilyPolicy.PREFER_DUAL_STACK && held != family) {
                return failed("IP for wrong family assigned alloc " + held + " service family " + family);
            }
            return assign(service, current.ips());
        }
        Pool pool = pools.pool(poolName);
        if (pool == null) {
            return failed("unknown pool " + GoQuote.quote(poolName));
        }
        FreeAddresses free = freeAddresses(pool, service);
        if (free == null) {
            return failed("no available IPs in pool " + pool.name());
        }
        List<IpAddress> ips = free.select(family, service.policy());
        if (ips == null) {
            return failed(free.noneFor(family));
        }
        return assign(service, ips);
    }

    /**
     * PreferDualStack with one address: adds the missing family from the same pool, keeping the
     * existing address.
     *
     * @return on success, {@code Assigned} with only the added address
     */
    public AllocationResult allocateAdditionalFamily(ServiceInfo service, IpAddress existing, String poolName) {
        Family missing = existing.family() == IpFamily.IPV4 ? Family.IPV6 : Family.IPV4;
        Pool pool = pools.pool(poolName);
        if (pool == null) {
            return failed("unknown pool " + GoQuote.quote(poolName));
        }
        FreeAddresses free = freeAddresses(pool, service);
        if (free == null) {
            return failed("no available IPs in pool " + pool.name());
        }
        List<IpAddress> added = free.select(missing, FamilyPolicy.SINGLE_STACK);
        if (added == null) {
            return failed(free.noneFor(missing));
        }
        AllocationResult both = assign(service, List.of(existing, added.get(0)));
        return both instanceof AllocationResult.Assigned ? new AllocationResult.Assigned(added, poolName) : both;
    }

    /** The addresses the Service holds, or an empty list. */
    public List<IpAddress> ips(String serviceKey) {
        Allocation a = allocated.get(serviceKey);
        return a == null ? List.of() : a.ips();
    }

    /** The pool the Service's addresses come from, or null. */
    public String pool(String serviceKey) {
        Allocation a = allocated.get(serviceKey);
        return a == null ? null : a.pool();
    }

    /**
     * The Service's backend and sharing keys together; a change means other Services sharing an
     * address may now fit or not, so the controller re-processes them all.
     */
    public String allocationKey(String serviceKey) {
        Allocation a = allocated.get(serviceKey);
        return a == null ? "" : a.key().backend() + a.key().sharing();
    }

    /** The name of the pool holding all of these addresses, or null. */
    public String poolFor(List<IpAddress> ips) {
        Pool pool = pools.poolFor(ips);
        return pool == null ? null : pool.name();
    }

    /** The counters of a configured pool. */
    public PoolCounters counters(String poolName) {
        Pool pool = pools.pool(poolName);
        return pool == null ? null : usage.counters(pool);
    }

    /** How many Services hold addresses. */
    public int size() {
        return allocated.size();
    }

    private void record(String serviceKey, Allocation allocation) {
        unassign(serviceKey);
        allocated.put(serviceKey, allocation);
        for (IpAddress ip : allocation.ips()) {
            sharingKeyForIp.put(ip, allocation.key());
            taken.add(ip);
            Map<Port, String> ports = portsInUse.computeIfAbsent(ip, k -> new HashMap<>());
            for (Port port : allocation.ports()) {
                ports.put(port, serviceKey);
            }
            servicesOnIp.computeIfAbsent(ip, k -> new TreeSet<>()).add(serviceKey);
            usage.hold(allocation.pool(), ip);
        }
    }

    private AllocationResult allocateFromPools(List<Pool> candidates, ServiceInfo service, Family family) {
        FreeAddresses best = PoolChoice.best(candidates, service, family, pool -> freeAddresses(pool, service));
        if (best == null) {
            return failed("no available IPs");
        }
        List<IpAddress> ips = best.select(family, service.policy());
        if (ips == null) {
            return failed("no available IPs");
        }
        AllocationResult result = assign(service, ips);
        return result.succeeded() ? result : failed("no available IPs");
    }

    /**
     * The lowest usable address of each family in the pool: for each family the first prefix (in
     * pool order) that has one, scanning up from its network address. Null when there is none.
     */
    private FreeAddresses freeAddresses(Pool pool, ServiceInfo service) {
        SharingKey key = new SharingKey(service.sharingKey(), service.backendKey());
        IpAddress v4 = null;
        IpAddress v6 = null;
        for (var cidr : pool.cidrs()) {
            boolean isV4 = cidr.family() == IpFamily.IPV4;
            if ((isV4 && v4 != null) || (!isV4 && v6 != null)) {
                continue;
            }
            IpAddress found = service.sharingKey().isEmpty()
                    ? lowestUsableUnshared(pool, cidr, service, key)
                    : lowestUsable(pool, cidr, service, key);
            if (isV4) {
                v4 = found;
            } else {
                v6 = found;
            }
        }
        return v4 == null && v6 == null ? null : new FreeAddresses(pool.name(), v4, v6);
    }

    /** The scan MetalLB does: every address of the prefix in order, O(addresses taken below the answer). */
    private IpAddress lowestUsable(Pool pool, Cidr cidr, ServiceInfo service, SharingKey key) {
        for (IpAddress ip = cidr.first(); ip != null && cidr.contains(ip); ip = ip.next().orElse(null)) {
            if (pool.avoidBuggyIPs() && BuggyIps.confusesFirmware(ip)) {
                continue;
            }
            if (sharingRefusal(service.key(), ip, service.ports(), key) == null) {
                return ip;
            }
        }
        return null;
    }

    /**
     * The same answer for a Service without a sharing key, found in O(log n): such a Service can use
     * an address nobody holds, or one that only it holds; the lowest of the first kind comes from the
     * runs of taken addresses, the second kind is its own current addresses.
     */
    private IpAddress lowestUsableUnshared(Pool pool, Cidr cidr, ServiceInfo service, SharingKey key) {
        IpAddress best = null;
        IpAddress ip = taken.firstFreeFrom(cidr.first());
        while (ip != null && cidr.contains(ip)) {
            if (!(pool.avoidBuggyIPs() && BuggyIps.confusesFirmware(ip))) {
                best = ip;
                break;
            }
            IpAddress after = ip.next().orElse(null);
            ip = after == null ? null : taken.firstFreeFrom(after);
        }
        Allocation own = allocated.get(service.key());
        if (own != null) {
            for (IpAddress mine : own.ips()) {
                if (cidr.contains(mine) && (best == null || mine.compareTo(best) < 0)
                        && !(pool.avoidBuggyIPs() && BuggyIps.confusesFirmware(mine))
                        && sharingRefusal(service.key(), mine, service.ports(), key) == null) {
                    best = mine;
                }
            }
        }
        return best;
    }

    /** Why the Service may not use the address, or null if it may. */
    private String sharingRefusal(String serviceKey, IpAddress ip, List<Port> ports, SharingKey key) {
        SharingKey existing = sharingKeyForIp.get(ip);
        if (existing == null) {
            return null;
        }
        if (!existing.allowsSharingWith(key)) {
            List<String> others = new ArrayList<>(servicesOnIp.getOrDefault(ip, Set.of()));
            others.remove(serviceKey);
            if (!others.isEmpty()) {
                return "can't change sharing key for " + GoQuote.quote(serviceKey) + ", address also in use by "
                        + String.join(",", others);
            }
        }
        Map<Port, String> used = portsInUse.getOrDefault(ip, Map.of());
        for (Port port : ports) {
            String holder = used.get(port);
            if (holder != null && !holder.equals(serviceKey)) {
                return "port " + port + " is already in use on " + GoQuote.quote(ip.toString());
            }
        }
        return null;
    }

    private static AllocationResult failed(String reason) {
        return new AllocationResult.Failed(reason);
    }

    static String quoteIps(List<IpAddress> ips) {
        return GoQuote.quoteAll(ips.stream().map(IpAddress::toString).toList());
    }
}
