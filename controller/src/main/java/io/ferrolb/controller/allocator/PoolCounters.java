package io.ferrolb.controller.allocator;

/**
 * A pool's address counts, as IPAddressPool status reports them: distinct addresses in use and
 * the addresses left, per family. Capacities of 2^62 or more saturate at {@link Long#MAX_VALUE}.
 */
public record PoolCounters(long assignedIPv4, long assignedIPv6, long availableIPv4, long availableIPv6,
                           long capacityIPv4, long capacityIPv6) {

    public long capacity() {
        return saturatedSum(capacityIPv4, capacityIPv6);
    }

    public long assigned() {
        return assignedIPv4 + assignedIPv6;
    }

    static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
