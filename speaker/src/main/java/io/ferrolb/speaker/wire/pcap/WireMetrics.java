package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The wire's per-address series (docs/compatibility.md §4.1) plus ferrolb's conflict and filter
 * counters. MetalLB's three counters are Go client counters whose names carry no {@code _total}; Micrometer's Prometheus
 * registry appends {@code _total} to every Counter, so they are registered as Gauges that read
 * monotonic adders: the exported names and values are MetalLB's exactly (the TYPE line says gauge).
 * An address counts from the moment it is owned; its series are published soon after (see
 * {@link #publish}) and removed when it stops being owned.
 */
final class WireMetrics {

    static final String REQUESTS = "metallb_layer2_requests_received";
    static final String RESPONSES = "metallb_layer2_responses_sent";
    static final String GRATUITOUS = "metallb_layer2_gratuitous_sent";
    /** Exported as {@code ferrolb_layer2_conflicts_total}: ours, so a real counter. */
    static final String CONFLICTS = "ferrolb_layer2_conflicts";
    /** Exported as {@code ferrolb_layer2_filter_widenings_total}. */
    static final String WIDENINGS = "ferrolb_layer2_filter_widenings";

    /**
     * One address's counts, kept from the moment it is owned; its meters are registered apart
     * ({@link #publish}), off the path of a takeover, since registering hundreds of them took
     * longer than the takeover itself.
     */
    private static final class Series {
        final LongAdder requests = new LongAdder();
        final LongAdder responses = new LongAdder();
        final LongAdder gratuitous = new LongAdder();
        final LongAdder conflicts = new LongAdder();
        /** Null until published; guarded by the WireMetrics. */
        List<Meter> meters;
    }

    private final MeterRegistry registry;
    private final Map<IpAddress, Series> series = new ConcurrentHashMap<>();
    private final Counter widenings;

    WireMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.widenings = Counter.builder(WIDENINGS)
                .description("Claims for which the capture filter passed every ARP frame until a narrower one was"
                        + " compiled (a claim of a batch planned ahead sets one compiled before)")
                .register(registry);
    }

    void filterWidened() {
        widenings.increment();
    }

    /** Starts counting for the address (no-op if it counts already); cheap, see {@link #publish}. */
    void own(IpAddress ip) {
        series.computeIfAbsent(ip, k -> new Series());
    }

    /** Registers the meters of an address counted since {@link #own} (no-op if they are, or it is not owned). */
    synchronized void publish(IpAddress ip) {
        Series s = series.get(ip);
        if (s != null && s.meters == null) {
            s.meters = register(ip, s);
        }
    }

    /** Stops counting for the address and removes its meters. */
    synchronized void disown(IpAddress ip) {
        Series s = series.remove(ip);
        if (s != null && s.meters != null) {
            s.meters.forEach(registry::remove);
        }
    }

    void removeAll() {
        List.copyOf(series.keySet()).forEach(this::disown);
    }

    void request(IpAddress ip) {
        Series s = series.get(ip);
        if (s != null) {
            s.requests.increment();
        }
    }

    void response(IpAddress ip) {
        Series s = series.get(ip);
        if (s != null) {
            s.responses.increment();
        }
    }

    void gratuitous(IpAddress ip) {
        Series s = series.get(ip);
        if (s != null) {
            s.gratuitous.increment();
        }
    }

    void conflict(IpAddress ip) {
        Series s = series.get(ip);
        if (s != null) {
            s.conflicts.increment();
        }
    }

    private List<Meter> register(IpAddress ip, Series s) {
        String tag = ip.toString();
        Meter r = gauge(REQUESTS, "Number of layer2 requests received for owned IPs", s.requests, tag);
        Meter p = gauge(RESPONSES, "Number of layer2 responses sent for owned IPs", s.responses, tag);
        Meter g = gauge(GRATUITOUS, "Number of gratuitous layer2 packets sent for owned IPs", s.gratuitous, tag);
        Meter c = FunctionCounter.builder(CONFLICTS, s.conflicts, LongAdder::doubleValue)
                .description("Conflicts reported: a foreign MAC claimed an owned IP (ARP reply, GARP or NA)")
                .tag("ip", tag).register(registry);
        return List.of(r, p, g, c);
    }

    private Meter gauge(String name, String help, LongAdder value, String ip) {
        return Gauge.builder(name, value, LongAdder::doubleValue).description(help).tag("ip", ip)
                .strongReference(true).register(registry);
    }
}
