package io.ferrolb.controller.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** What one side shows after a step: every Service's allocation and events, every pool's counters. */
record Snapshot(Map<String, ServiceState> services, Map<String, PoolState> pools) {

    /**
     * @param pool    the {@code metallb.io/ip-allocated-from-pool} annotation
     * @param reasons the reasons of every event recorded on the Service so far
     */
    record ServiceState(List<String> ingress, String pool, List<String> reasons, boolean wanting) {
        @Override
        public String toString() {
            return "ingress=" + ingress + " pool=" + pool + " events=" + reasons + (wanting ? " (wanting)" : "");
        }
    }

    /** How many Services hold other addresses in that snapshot than in this one (or exist in one only). */
    long reservedSince(Snapshot before) {
        TreeSet<String> keys = new TreeSet<>(services.keySet());
        keys.addAll(before.services.keySet());
        return keys.stream().filter(k -> {
            ServiceState now = services.get(k);
            ServiceState then = before.services.get(k);
            return now == null || then == null || !now.ingress().equals(then.ingress());
        }).count();
    }

    /** LoadBalancer Services holding fewer addresses than they have IP families. */
    long wanting() {
        return services.values().stream().filter(ServiceState::wanting).count();
    }

    /** status of an IPAddressPool; null fields where it has none yet. */
    record PoolState(Object assignedIPv4, Object assignedIPv6, Object availableIPv4, Object availableIPv6) {

        static PoolState of(Object status) {
            if (!(status instanceof Map<?, ?> map)) {
                return new PoolState(null, null, null, null);
            }
            return new PoolState(number(map.get("assignedIPv4")), number(map.get("assignedIPv6")),
                    number(map.get("availableIPv4")), number(map.get("availableIPv6")));
        }

        private static Object number(Object value) {
            return value instanceof Number n ? n.longValue() : value;
        }

        @Override
        public String toString() {
            return "assigned v4/v6=" + assignedIPv4 + "/" + assignedIPv6 + " available v4/v6=" + availableIPv4 + "/"
                    + availableIPv6;
        }
    }

    /**
     * Whether the two could differ only in the order Services competing for addresses were served:
     * the same Services, the same pools with the same counters (as many addresses of each family
     * handed out from each pool).
     */
    static boolean sameUseOfPools(Snapshot left, Snapshot right) {
        return left.pools.equals(right.pools) && left.services.keySet().equals(right.services.keySet());
    }

    /** One line per key where the two differ; empty when they agree. */
    static List<String> differences(Snapshot left, String leftName, Snapshot right, String rightName) {
        List<String> out = new ArrayList<>();
        compare("service", left.services, right.services, leftName, rightName, out);
        compare("pool", left.pools, right.pools, leftName, rightName, out);
        return out;
    }

    private static <V> void compare(String kind, Map<String, V> left, Map<String, V> right, String leftName,
            String rightName, List<String> out) {
        TreeSet<String> keys = new TreeSet<>(left.keySet());
        keys.addAll(right.keySet());
        for (String key : keys) {
            V l = left.get(key);
            V r = right.get(key);
            if (!Objects.equals(l, r)) {
                out.add(kind + " " + key + ": " + leftName + " {" + l + "} " + rightName + " {" + r + "}");
            }
        }
    }
}
