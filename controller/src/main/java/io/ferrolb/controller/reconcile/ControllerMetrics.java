package io.ferrolb.controller.reconcile;

import io.ferrolb.controller.allocator.PoolCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/** The controller's MetalLB metrics (docs/compatibility.md §4.1); pool series live exactly as long as the pool. */
public final class ControllerMetrics {

    private final MeterRegistry registry;
    private final Counter updates;
    private final Counter updateErrors;
    private final Timer decisions;
    private final Timer writes;
    private final AtomicInteger configLoaded = new AtomicInteger();
    private final AtomicInteger configStale = new AtomicInteger();
    private final Map<String, PoolCounters> counters = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> poolMeters = new ConcurrentHashMap<>();

    public ControllerMetrics(MeterRegistry registry) {
        this.registry = registry;
        updates = Counter.builder("metallb_k8s_client_updates").description("Number of k8s object updates that "
                + "have been processed.").register(registry);
        updateErrors = Counter.builder("metallb_k8s_client_update_errors").description("Number of k8s object "
                + "updates that failed for some reason.").register(registry);
        decisions = Timer.builder("ferrolb_controller_decision_seconds")
                .description("Time spent deciding one Service under the allocation lock.").register(registry);
        writes = Timer.builder("ferrolb_controller_status_write_seconds")
                .description("Time spent writing one Service status to the API server.").register(registry);
        Gauge.builder("metallb_k8s_client_config_loaded_bool", configLoaded, AtomicInteger::get)
                .description("1 if the MetalLB configuration was successfully loaded at least once.")
                .register(registry);
        Gauge.builder("metallb_k8s_client_config_stale_bool", configStale, AtomicInteger::get)
                .description("1 if running on a stale configuration, because the latest config failed to load.")
                .register(registry);
    }

    public void update() {
        updates.increment();
    }

    public void updateError() {
        updateErrors.increment();
    }

    public Timer decisions() {
        return decisions;
    }

    public Timer writes() {
        return writes;
    }

    public void configLoaded() {
        configLoaded.set(1);
        configStale.set(0);
    }

    public void configStale() {
        configStale.set(1);
    }

    public boolean isConfigStale() {
        return configStale.get() == 1;
    }

    /** Publishes the counters of the configured pools and drops the series of pools that are gone. */
    public void pools(Map<String, PoolCounters> current) {
        for (String gone : Set.copyOf(poolMeters.keySet())) {
            if (!current.containsKey(gone)) {
                poolMeters.remove(gone).forEach(registry::remove);
                counters.remove(gone);
            }
        }
        counters.putAll(current);
        current.keySet().forEach(pool -> poolMeters.computeIfAbsent(pool, this::registerPool));
    }

    private List<Meter> registerPool(String pool) {
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge("metallb_allocator_addresses_total", pool, "Number of usable IP addresses, per pool",
                c -> c.capacity()));
        meters.add(gauge("metallb_allocator_ipv4_addresses_total", pool,
                "Number of usable IPv4 addresses, per pool", c -> c.capacityIPv4()));
        meters.add(gauge("metallb_allocator_ipv6_addresses_total", pool,
                "Number of usable IPv6 addresses, per pool", c -> c.capacityIPv6()));
        meters.add(gauge("metallb_allocator_addresses_in_use_total", pool, "Number of IP addresses in use, per pool",
                c -> c.assigned()));
        meters.add(gauge("metallb_allocator_ipv4_addresses_in_use_total", pool,
                "Number of IPv4 addresses in use, per pool", c -> c.assignedIPv4()));
        meters.add(gauge("metallb_allocator_ipv6_addresses_in_use_total", pool,
                "Number of IPv6 addresses in use, per pool", c -> c.assignedIPv6()));
        return meters;
    }

    private Meter gauge(String name, String pool, String help, ToDoubleFunction<PoolCounters> value) {
        return Gauge.builder(name, counters, m -> {
            PoolCounters c = m.get(pool);
            return c == null ? Double.NaN : value.applyAsDouble(c);
        }).description(help).tag("pool", pool).register(registry);
    }
}
