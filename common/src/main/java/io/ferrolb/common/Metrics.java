package io.ferrolb.common;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * The Prometheus registry of both binaries. It is Micrometer's simpleclient-based registry, not the
 * newer one: the newer Prometheus client renames gauges whose names end in {@code _total}, which
 * would break MetalLB's metric names such as {@code metallb_allocator_addresses_total}.
 */
public final class Metrics {

    private Metrics() {
    }

    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
