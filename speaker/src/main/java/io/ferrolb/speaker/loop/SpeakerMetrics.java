package io.ferrolb.speaker.loop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The speaker's MetalLB metrics (docs/compatibility.md §4.1): {@code metallb_speaker_announced} per
 * announced (service, ip), deleted on withdrawal so that no stale series stays behind after a move
 * (MetalLB issue #1972),
 * and the {@code metallb_k8s_client_*} family.
 */
public final class SpeakerMetrics {

    private final MeterRegistry registry;
    private final Counter updates;
    private final Counter updateErrors;
    private final AtomicInteger configLoaded = new AtomicInteger();
    private final AtomicInteger configStale = new AtomicInteger();
    private final Map<String, List<Meter>> announced = new HashMap<>();

    public SpeakerMetrics(MeterRegistry registry) {
        this.registry = registry;
        updates = Counter.builder("metallb_k8s_client_updates").description("Number of k8s object updates that "
                + "have been processed.").register(registry);
        updateErrors = Counter.builder("metallb_k8s_client_update_errors").description("Number of k8s object "
                + "updates that failed for some reason.").register(registry);
        Gauge.builder("metallb_k8s_client_config_loaded_bool", configLoaded, AtomicInteger::get)
                .description("1 if the MetalLB configuration was successfully loaded at least once.")
                .register(registry);
        Gauge.builder("metallb_k8s_client_config_stale_bool", configStale, AtomicInteger::get)
                .description("1 if running on a stale configuration, because the latest config failed to load.")
                .register(registry);
    }

    /** Counts a failed handoff action (install, remove, reconcile) in {@code ferrolb_speaker_handoff_failures_total}. */
    public void handoffFailed(String action) {
        Counter.builder("ferrolb_speaker_handoff_failures").description("NodePort handoff actions (install, remove, "
                + "reconcile) that failed; each is retried.").tag("action", action).register(registry).increment();
    }

    /** Counts Services claimed from a plan made ahead, when a peer went away ({@code ferrolb_speaker_claimed_ahead_total}). */
    public void claimedAhead(int services) {
        Counter.builder("ferrolb_speaker_claimed_ahead").description("Services this speaker took over from a plan "
                + "made ahead for the departure of a peer, before planning the new view.").register(registry)
                .increment(services);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void update() {
        updates.increment();
    }

    public void updateError() {
        updateErrors.increment();
    }

    public void configLoaded() {
        configLoaded.set(1);
        configStale.set(0);
    }

    public void configStale() {
        configStale.set(1);
    }

    /** Sets {@code metallb_speaker_announced=1} for each of the Service's addresses. */
    public synchronized void announced(String service, String node, List<String> ips) {
        withdrawn(service);
        List<Meter> meters = new ArrayList<>();
        for (String ip : ips) {
            meters.add(Gauge.builder("metallb_speaker_announced", () -> 1)
                    .description("Services being announced from this node. This is desired state, it does not "
                            + "guarantee that the routing protocols have converged.")
                    .tags(Tags.of("service", service, "protocol", "layer2", "node", node, "ip", ip))
                    .register(registry));
        }
        announced.put(service, meters);
    }

    /** Deletes the Service's {@code metallb_speaker_announced} series. */
    public synchronized void withdrawn(String service) {
        List<Meter> meters = announced.remove(service);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }
}
