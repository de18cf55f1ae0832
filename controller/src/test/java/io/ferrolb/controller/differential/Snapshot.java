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
    record ServiceState(List<String> ingress, String pool, List<String> reasons) {
        @Override
        public String toString() {
            return "ingress=" + ingress + " pool=" + pool + " events=" + reasons;
        }
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
     * Whether the two differ only in which Services hold which addresses: the same pools with the
     * same counters, the same Services with the same event reasons, and the same addresses in use
     * altogether. That is what serving competing Services in another order yields.
     */
    static boolean reorderingOf(Snapshot left, Snapshot right) {
        if (!left.pools.equals(right.pools) || !left.services.keySet().equals(right.services.keySet())) {
            return false;
        }
        List<String> leftIps = new ArrayList<>();
        List<String> rightIps = new ArrayList<>();
        for (String key : left.services.keySet()) {
            ServiceState l = left.services.get(key);
            ServiceState r = right.services.get(key);
            if (!l.reasons().equals(r.reasons())) {
                return false;
            }
            leftIps.addAll(l.ingress());
            rightIps.addAll(r.ingress());
        }
        leftIps.sort(null);
        rightIps.sort(null);
        return leftIps.equals(rightIps);
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
