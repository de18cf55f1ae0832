package io.ferrolb.speaker.loop;

import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.speaker.plan.Decision;
import io.ferrolb.speaker.plan.NotAnnounced;
import io.ferrolb.speaker.plan.Plan;
import io.ferrolb.speaker.plan.Reason;
import io.ferrolb.speaker.plan.ServiceKey;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells users why a Service that has an address is announced by no node: "it has an IP but nobody
 * answers ARP". Every speaker plans the same, so one of them, the reporter (the first live speaker
 * by node name), speaks for all: a Warning event {@code notAnnounced} on the Service when its
 * reason changes, and the gauge {@code ferrolb_speaker_not_announced{service,reason}}. A Service
 * whose winner lacks the requested interfaces is reported by the winner, which alone knows it
 * (the gauge only: MetalLB's {@code announceFailed} event already says it).
 */
final class NotAnnouncedReport {

    private static final Logger LOG = LoggerFactory.getLogger(NotAnnouncedReport.class);

    private record Reported(String message, Meter gauge) {
    }

    private final SpeakerEvents events;
    private final MeterRegistry registry;
    private final Map<ServiceKey, Reported> reported = new HashMap<>();

    NotAnnouncedReport(SpeakerEvents events, MeterRegistry registry) {
        this.events = events;
        this.registry = registry;
    }

    /**
     * Brings the events and gauges up to date with a plan.
     *
     * @param reporter whether this speaker reports for every speaker (false also while not joined)
     */
    void update(boolean reporter, Plan plan, Map<ServiceKey, Service> services) {
        Map<ServiceKey, NotAnnounced> dark = new HashMap<>();
        for (Decision d : plan.decisions().values()) {
            if (d instanceof NotAnnounced n && n.dark() && services.containsKey(n.service())
                    && (n.reason() == Reason.ANNOUNCE_FAILED || reporter)) {
                dark.put(n.service(), n);
            }
        }
        reported.keySet().removeIf(key -> {
            if (dark.containsKey(key)) {
                return false;
            }
            registry.remove(reported.get(key).gauge());
            return true;
        });
        dark.forEach((key, decision) -> {
            String message = message(decision, services.get(key));
            Reported before = reported.get(key);
            if (before != null && before.message().equals(message)) {
                return;
            }
            if (before != null) {
                registry.remove(before.gauge());
            }
            Meter gauge = Gauge.builder("ferrolb_speaker_not_announced", () -> 1)
                    .description("Services that have an address but are announced by no node, by reason (from one "
                            + "speaker only)")
                    .tags(Tags.of("service", key.toString(), "reason", decision.reason().text()))
                    .register(registry);
            reported.put(key, new Reported(message, gauge));
            if (decision.reason() != Reason.ANNOUNCE_FAILED) {
                LOG.warn("not announced by any node service={} reason={} detail=\"{}\"", key, decision.reason(), message);
                events.notAnnounced(services.get(key), message);
            }
        });
    }

    /** Drops every gauge (the speaker stops). */
    void clear() {
        reported.values().forEach(r -> registry.remove(r.gauge()));
        reported.clear();
    }

    /** E.g. {@code no node announces 198.18.0.200: no endpoint is ready or serving (noServingEndpoints)}. */
    static String message(NotAnnounced decision, Service service) {
        String detail;
        if (decision instanceof NotAnnounced.Skipped s) {
            detail = s.detail();
        } else if (decision instanceof NotAnnounced.AnnounceFailed f) {
            detail = "none of the interfaces " + f.requested().names() + " exists on node " + f.node();
        } else {
            detail = decision.reason().text();
        }
        List<String> ips = service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null ? List.of()
                : service.getStatus().getLoadBalancer().getIngress().stream().map(i -> i.getIp()).toList();
        return "no node announces " + (ips.isEmpty() ? "this Service" : String.join(", ", ips)) + ": " + detail
                + " (" + decision.reason().text() + ")";
    }
}
