package io.ferrolb.controller.allocator;

import io.ferrolb.config.Pool;
import io.ferrolb.net.Cidr;
import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Distinct addresses in use per pool and family (a shared address counts once). */
final class PoolUsage {

    /** Holders per address, and the number of distinct addresses per family, of one pool. */
    private static final class Usage {
        final Map<IpAddress, Integer> holders = new HashMap<>();
        long v4;
        long v6;
    }

    private final Map<String, Usage> byPool = new HashMap<>();

    void hold(String pool, IpAddress ip) {
        Usage usage = byPool.computeIfAbsent(pool, k -> new Usage());
        if (usage.holders.merge(ip, 1, Integer::sum) == 1) {
            count(usage, ip, 1);
        }
    }

    void release(String pool, IpAddress ip) {
        Usage usage = byPool.get(pool);
        if (usage == null) {
            return;
        }
        Integer holders = usage.holders.get(ip);
        if (holders == null) {
            return;
        }
        if (holders == 1) {
            usage.holders.remove(ip);
            count(usage, ip, -1);
        } else {
            usage.holders.put(ip, holders - 1);
        }
    }

    void retainPools(Set<String> names) {
        byPool.keySet().retainAll(names);
    }

    PoolCounters counters(Pool pool) {
        long capacityV4 = 0;
        long capacityV6 = 0;
        for (Cidr cidr : pool.cidrs()) {
            long usable = BuggyIps.usableCount(cidr, pool.avoidBuggyIPs());
            if (cidr.family() == IpFamily.IPV4) {
                capacityV4 = PoolCounters.saturatedSum(capacityV4, usable);
            } else {
                capacityV6 = PoolCounters.saturatedSum(capacityV6, usable);
            }
        }
        Usage usage = byPool.getOrDefault(pool.name(), new Usage());
        return new PoolCounters(usage.v4, usage.v6, capacityV4 - usage.v4, capacityV6 - usage.v6, capacityV4,
                capacityV6);
    }

    private static void count(Usage usage, IpAddress ip, int delta) {
        if (ip.family() == IpFamily.IPV4) {
            usage.v4 += delta;
        } else {
            usage.v6 += delta;
        }
    }
}
