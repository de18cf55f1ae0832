package io.ferrolb.controller.allocator;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of addresses kept as maximal runs of consecutive addresses, so that the first address not
 * in the set at or after a given one is found in O(log runs) instead of by walking every taken
 * address: with thousands of Services in one prefix, the walk made each allocation O(n).
 */
final class TakenRuns {

    /** Start of each run to its last address (inclusive); runs never touch or overlap. */
    private final TreeMap<IpAddress, IpAddress> runs = new TreeMap<>();

    void add(IpAddress ip) {
        Map.Entry<IpAddress, IpAddress> before = runs.floorEntry(ip);
        if (before != null && before.getValue().compareTo(ip) >= 0) {
            return; // already inside a run
        }
        IpAddress start = ip;
        IpAddress end = ip;
        if (before != null && ip.equals(next(before.getValue()))) {
            start = before.getKey(); // extends the run that ends just below
        }
        IpAddress after = next(ip);
        if (after != null) {
            IpAddress afterEnd = runs.remove(after);
            if (afterEnd != null) {
                end = afterEnd; // joins the run that starts just above
            }
        }
        runs.put(start, end);
    }

    void remove(IpAddress ip) {
        Map.Entry<IpAddress, IpAddress> run = runs.floorEntry(ip);
        if (run == null || run.getValue().compareTo(ip) < 0) {
            return;
        }
        IpAddress start = run.getKey();
        IpAddress end = run.getValue();
        runs.remove(start);
        if (start.compareTo(ip) < 0) {
            runs.put(start, previous(ip));
        }
        if (end.compareTo(ip) > 0) {
            runs.put(next(ip), end);
        }
    }

    /** The first address at or after {@code from} (same family) that is not in the set; null past the last address. */
    IpAddress firstFreeFrom(IpAddress from) {
        Map.Entry<IpAddress, IpAddress> run = runs.floorEntry(from);
        if (run == null || run.getValue().compareTo(from) < 0) {
            return from;
        }
        return next(run.getValue()); // runs are maximal: the address after one is free
    }

    int runCount() {
        return runs.size();
    }

    private static IpAddress next(IpAddress ip) {
        return ip.next().orElse(null);
    }

    /** The address below {@code ip}; only called for an address above another one. */
    static IpAddress previous(IpAddress ip) {
        if (ip.family() == IpFamily.IPV4) {
            return IpAddress.ofV4(ip.low() - 1);
        }
        long lo = ip.low() - 1;
        long hi = ip.low() == 0 ? ip.high() - 1 : ip.high();
        return IpAddress.ofV6(hi, lo);
    }
}
