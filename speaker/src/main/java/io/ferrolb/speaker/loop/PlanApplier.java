package io.ferrolb.speaker.loop;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.handoff.Handoff;
import io.ferrolb.speaker.handoff.HandoffException;
import io.ferrolb.speaker.handoff.PortMapping;
import io.ferrolb.speaker.plan.Announcement;
import io.ferrolb.speaker.plan.NotAnnounced;
import io.ferrolb.speaker.plan.Plan;
import io.ferrolb.speaker.plan.ServiceKey;
import io.ferrolb.speaker.wire.Wire;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the difference between what this node should announce and what it announces, as one
 * unit per plan: every release first (the wire stops answering for all of them at once), then one
 * handoff change for all rule additions and removals, then one wire change for all acquisitions,
 * whose first gratuitous announcements leave together. The rules of an address exist before it is
 * answered; an address whose rules could not be written is not announced. Not thread-safe: the
 * loop calls it under its lock.
 */
final class PlanApplier {

    private static final Logger LOG = LoggerFactory.getLogger(PlanApplier.class);

    /** What this node applied for one Service, and the inputs it was applied for. */
    private record Applied(Announcement announcement, List<PortMapping> ports, Object trigger) {
    }

    /** What the handoff did not manage: the Services whose acquisition failed, and why. */
    record HandoffFailure(List<Service> services, String action, HandoffException error) {
    }

    private final String node;
    private final Wire wire;
    private final Handoff handoff;
    private final SpeakerEvents events;
    private final SpeakerMetrics metrics;
    private final Map<ServiceKey, Applied> current = new TreeMap<>();

    PlanApplier(String node, Wire wire, Handoff handoff, SpeakerEvents events, SpeakerMetrics metrics) {
        this.node = node;
        this.wire = wire;
        this.handoff = handoff;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Brings the node to {@code desired}.
     *
     * @param takeovers the acquisitions that another speaker held until now, each with whether that
     *     speaker is still alive (see {@link Wire.Claim})
     * @param trigger   the inputs that make an unchanged announcement worth re-applying when they change
     * @return the handoff failure, if the rules could not be written (nothing of the batch was announced)
     */
    HandoffFailure apply(Map<ServiceKey, Announcement> desired, Plan plan, Map<ServiceKey, Service> services,
            Map<ServiceKey, Boolean> takeovers, Object trigger) {
        Set<String> removed = release(desired, plan, services);
        Map<ServiceKey, Applied> acquisitions = new LinkedHashMap<>();
        Map<String, Handoff.Target> installs = new LinkedHashMap<>();
        for (Announcement a : desired.values()) {
            Service service = services.get(a.service());
            List<PortMapping> ports = ports(service);
            Object serviceTrigger = List.of(trigger, Objects.requireNonNullElse(
                    service.getMetadata().getResourceVersion(), ""));
            Applied before = current.get(a.service());
            if (before != null && before.announcement().equals(a) && before.ports().equals(ports)
                    && before.trigger().equals(serviceTrigger)) {
                continue;
            }
            acquisitions.put(a.service(), new Applied(a, ports, serviceTrigger));
            installs.put(a.service().toString(), new Handoff.Target(a.ips(), ports));
        }
        try {
            handoff.apply(installs, removed);
        } catch (HandoffException e) {
            return new HandoffFailure(acquisitions.keySet().stream().map(services::get).toList(),
                    installs.isEmpty() ? "remove" : "install", e);
        }
        List<Wire.Claim> claims = new ArrayList<>();
        acquisitions.forEach((key, applied) -> applied.announcement().ips().forEach(ip -> claims.add(
                new Wire.Claim(key.toString(), ip, applied.announcement().interfaces(), takeovers.containsKey(key),
                        takeovers.getOrDefault(key, false)))));
        wire.announceAll(claims);
        acquisitions.forEach((key, applied) -> {
            Announcement a = applied.announcement();
            metrics.announced(key.toString(), node, a.ips().stream().map(IpAddress::toString).toList());
            events.nodeAssigned(services.get(key), node);
            if (current.put(key, applied) == null) {
                LOG.info("acquire service={} ips={} node={} interfaces={} reason=elected", key, a.ips(), node,
                        a.interfaces());
            }
        });
        return null;
    }

    /** Stops answering for every Service whose announcement went or changed; returns their keys for the handoff. */
    private Set<String> release(Map<ServiceKey, Announcement> desired, Plan plan, Map<ServiceKey, Service> services) {
        List<Wire.Release> releases = new ArrayList<>();
        Set<String> removed = new LinkedHashSet<>();
        for (ServiceKey key : List.copyOf(current.keySet())) {
            Announcement now = current.get(key).announcement();
            Announcement wanted = desired.get(key);
            if (wanted != null && wanted.ips().equals(now.ips())) {
                continue;
            }
            String reason = wanted != null ? "loadBalancerIPChanged" : reasonFor(key, plan, services);
            now.ips().forEach(ip -> releases.add(new Wire.Release(key.toString(), ip)));
            removed.add(key.toString());
            metrics.withdrawn(key.toString());
            current.remove(key);
            LOG.info("release service={} ips={} node={} reason={}", key, now.ips(), node, reason);
        }
        wire.withdrawAll(releases);
        return removed;
    }

    /** Withdraws everything at once (the speaker stops); the handoff rules are removed after. */
    void withdrawAll() {
        List<Wire.Release> releases = new ArrayList<>();
        current.forEach((key, applied) -> applied.announcement().ips()
                .forEach(ip -> releases.add(new Wire.Release(key.toString(), ip))));
        wire.withdrawAll(releases);
        Set<String> removed = new LinkedHashSet<>();
        current.keySet().forEach(key -> {
            removed.add(key.toString());
            metrics.withdrawn(key.toString());
        });
        current.clear();
        try {
            handoff.apply(Map.of(), removed);
        } catch (HandoffException e) {
            LOG.error("handoff removal at close failed services={} error={}", removed.size(), e.getMessage());
        }
    }

    boolean announces(ServiceKey key) {
        return current.containsKey(key);
    }

    /** The Services this node announces now, with their addresses. */
    Map<ServiceKey, List<IpAddress>> announced() {
        Map<ServiceKey, List<IpAddress>> out = new TreeMap<>();
        current.forEach((k, v) -> out.put(k, v.announcement().ips()));
        return out;
    }

    private static String reasonFor(ServiceKey key, Plan plan, Map<ServiceKey, Service> services) {
        if (!services.containsKey(key)) {
            return "serviceDeleted";
        }
        return plan.decision(key).map(d -> d instanceof NotAnnounced.NotOwner owner
                ? "notOwner winner=" + owner.winner()
                : d instanceof NotAnnounced n ? n.reason().text() : "unknown").orElse("serviceDeleted");
    }

    private static List<PortMapping> ports(Service service) {
        List<PortMapping> out = new ArrayList<>();
        if (service.getSpec().getPorts() != null) {
            for (ServicePort p : service.getSpec().getPorts()) {
                if (p.getNodePort() != null) {
                    out.add(new PortMapping(p.getProtocol() == null ? "TCP" : p.getProtocol(), p.getPort(),
                            p.getNodePort()));
                }
            }
        }
        return out;
    }
}
