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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the difference between what this node should announce and what it announces, as one
 * unit per plan: every release first (the wire stops answering for all of them at once), then one
 * handoff change for all rule additions and removals, then one wire change for all acquisitions,
 * whose first gratuitous announcements leave together. The rules of an address exist before it is
 * answered; an address whose rules could not be written is not announced.
 *
 * <p>Rules are kept not only for the Services this node announces but for every Service it lost an
 * election for as a candidate (docs/design.md §8.1), as kube-proxy keeps its rules on every node:
 * a takeover then writes no rule at all, only the announcement, and a release needs no drain
 * because the rules stay. Not thread-safe: the loop calls it under its lock.
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
    /** The rules written, per Service: for the announced ones and the standing-by ones. */
    private final Map<ServiceKey, Handoff.Target> ruled = new HashMap<>();
    /** What the latest apply changed. */
    private Changes changes = Changes.NONE;

    /**
     * What one apply changed, for {@link #logChanges}.
     *
     * @param announced Services announced (new, or re-applied because their inputs changed)
     * @param released  addresses no longer answered
     * @param rules     Services whose handoff rules were written or removed
     */
    private record Changes(int announced, int released, int rules) {
        static final Changes NONE = new Changes(0, 0, 0);

        boolean any() {
            return announced + released + rules > 0;
        }

        /** Whether the wire changed, not only rules standing by. */
        boolean announcements() {
            return announced + released > 0;
        }
    }

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
    HandoffFailure apply(Map<ServiceKey, Announcement> desired, Plan plan,
            Map<ServiceKey, Service> services, Map<ServiceKey, Boolean> takeovers, Object trigger) {
        int released = release(desired, plan, services);
        Map<ServiceKey, Applied> acquisitions = new LinkedHashMap<>();
        for (Announcement a : desired.values()) {
            Service service = services.get(a.service());
            List<PortMapping> ports = ports(service);
            Object serviceTrigger = serviceTrigger(trigger, service);
            Applied before = current.get(a.service());
            if (before != null && before.announcement().equals(a) && before.ports().equals(ports)
                    && before.trigger().equals(serviceTrigger)) {
                continue;
            }
            acquisitions.put(a.service(), new Applied(a, ports, serviceTrigger));
        }
        Map<ServiceKey, Handoff.Target> wanted = wantedRules(desired, handoff.standsBy(), plan, services);
        Map<String, Handoff.Target> installs = new LinkedHashMap<>();
        wanted.forEach((key, target) -> {
            if (!target.equals(ruled.get(key))) {
                installs.put(key.toString(), target);
            }
        });
        Set<ServiceKey> unruled = new LinkedHashSet<>(ruled.keySet());
        unruled.removeAll(wanted.keySet());
        HandoffFailure failure = null;
        try {
            handoff.apply(installs, unruled.stream().map(ServiceKey::toString)
                    .collect(Collectors.toCollection(LinkedHashSet::new)));
            ruled.keySet().removeAll(unruled);
            ruled.putAll(wanted);
        } catch (HandoffException e) {
            // Acquisitions whose rules were written before (standing by) go ahead; the others wait.
            List<Service> blocked = new ArrayList<>();
            acquisitions.keySet().removeIf(key -> {
                boolean written = wanted.get(key).equals(ruled.get(key));
                if (!written) {
                    blocked.add(services.get(key));
                }
                return !written;
            });
            failure = new HandoffFailure(blocked, installs.isEmpty() ? "remove" : "install", e);
        }
        List<Wire.Claim> claims = new ArrayList<>();
        acquisitions.forEach((key, applied) -> applied.announcement().ips().forEach(ip -> claims.add(
                new Wire.Claim(key.toString(), ip, applied.announcement().interfaces(), takeovers.containsKey(key),
                        takeovers.getOrDefault(key, false)))));
        wire.announceAll(claims);
        changes = new Changes(acquisitions.size(), released,
                failure == null ? installs.size() + unruled.size() : 0);
        acquisitions.forEach((key, applied) -> {
            Announcement a = applied.announcement();
            metrics.announced(key.toString(), node, a.ips().stream().map(IpAddress::toString).toList());
            events.nodeAssigned(services.get(key), node);
            if (current.put(key, applied) == null) {
                LOG.info("acquire service={} ips={} node={} interfaces={} reason=elected", key, a.ips(), node,
                        a.interfaces());
            }
        });
        return failure;
    }

    /**
     * The rules this node keeps: its announcements', and with {@code standBy} those of every election
     * it is a candidate in: lost, or won in a plan it does not announce (it has not joined yet).
     */
    private static Map<ServiceKey, Handoff.Target> wantedRules(Map<ServiceKey, Announcement> desired,
            boolean standBy, Plan plan, Map<ServiceKey, Service> services) {
        Map<ServiceKey, Handoff.Target> wanted = new LinkedHashMap<>();
        desired.forEach((key, a) -> wanted.put(key, new Handoff.Target(a.ips(), ports(services.get(key)))));
        if (standBy) {
            plan.decisions().values().forEach(d -> {
                List<IpAddress> ips = d instanceof NotAnnounced.NotOwner loser && loser.candidate() ? loser.ips()
                        : d instanceof Announcement won ? won.ips() : null;
                if (ips != null && services.containsKey(d.service())) {
                    wanted.putIfAbsent(d.service(), new Handoff.Target(ips, ports(services.get(d.service()))));
                }
            });
        }
        return wanted;
    }

    /**
     * Stops answering for every Service whose announcement went or changed (their rules are for
     * {@link #wantedRules}); returns how many addresses.
     */
    private int release(Map<ServiceKey, Announcement> desired, Plan plan, Map<ServiceKey, Service> services) {
        List<Wire.Release> releases = new ArrayList<>();
        for (ServiceKey key : List.copyOf(current.keySet())) {
            Announcement now = current.get(key).announcement();
            Announcement wanted = desired.get(key);
            if (wanted != null && wanted.ips().equals(now.ips())) {
                continue;
            }
            String reason = wanted != null ? "loadBalancerIPChanged" : reasonFor(key, plan, services);
            now.ips().forEach(ip -> releases.add(new Wire.Release(key.toString(), ip)));
            metrics.withdrawn(key.toString());
            current.remove(key);
            LOG.info("release service={} ips={} node={} reason={}", key, now.ips(), node, reason);
        }
        wire.withdrawAll(releases);
        return releases.size();
    }

    /**
     * Claims at once what a contingency planned for the view that has just come about (a peer went
     * away): only Services not announced yet, still at the planned version, whose rules are
     * standing by; the rest waits for the full plan that follows. Each claim is recorded as the full
     * apply would record it, so that the full plan finds it applied and does not announce it again.
     *
     * @param trigger the trigger the full plan of this view will use
     * @return how many Services were claimed
     */
    int claimAhead(Contingencies.Contingency contingency, Map<ServiceKey, Service> services, Object trigger) {
        Map<ServiceKey, Applied> claimed = new LinkedHashMap<>();
        for (Announcement a : contingency.claims()) {
            ServiceKey key = a.service();
            Service service = services.get(key);
            if (current.containsKey(key) || !contingency.current(key, service)) {
                continue;
            }
            List<PortMapping> ports = ports(service);
            if (!new Handoff.Target(a.ips(), ports).equals(ruled.get(key))) {
                continue;
            }
            claimed.put(key, new Applied(a, ports, serviceTrigger(trigger, service)));
        }
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Wire.Claim> claims = new ArrayList<>();
        // The previous owner is gone from the view: a takeover from a dead owner, claimed at once.
        claimed.forEach((key, applied) -> applied.announcement().ips().forEach(ip -> claims.add(
                new Wire.Claim(key.toString(), ip, applied.announcement().interfaces(), true, false))));
        wire.announceAll(claims);
        claimed.forEach((key, applied) -> {
            Announcement a = applied.announcement();
            current.put(key, applied);
            metrics.announced(key.toString(), node, a.ips().stream().map(IpAddress::toString).toList());
            events.nodeAssigned(services.get(key), node);
            LOG.info("acquire service={} ips={} node={} interfaces={} reason=elected", key, a.ips(), node,
                    a.interfaces());
        });
        return claimed.size();
    }

    /** Withdraws everything at once (the speaker stops); every rule, standing by or not, goes after. */
    void withdrawAll() {
        List<Wire.Release> releases = new ArrayList<>();
        current.forEach((key, applied) -> applied.announcement().ips()
                .forEach(ip -> releases.add(new Wire.Release(key.toString(), ip))));
        wire.withdrawAll(releases);
        current.keySet().forEach(key -> metrics.withdrawn(key.toString()));
        current.clear();
        Set<String> removed = ruled.keySet().stream().map(ServiceKey::toString)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        ruled.clear();
        try {
            handoff.apply(Map.of(), removed);
        } catch (HandoffException e) {
            LOG.error("handoff removal at close failed services={} error={}", removed.size(), e.getMessage());
        }
    }

    /**
     * Logs what the latest apply changed, with how long planning and applying took: where a
     * takeover's time goes on a busy node. Rules alone (a Service standing by) change with every
     * new Service: not worth an info line.
     */
    void logChanges(long planNanos, long applyNanos) {
        if (!changes.any()) {
            return;
        }
        String line = "plan applied node={} announced={} released={} rules={} planMs={} applyMs={}";
        Object[] args = {node, changes.announced(), changes.released(), changes.rules(), planNanos / 1_000_000,
                applyNanos / 1_000_000};
        if (changes.announcements()) {
            LOG.info(line, args);
        } else {
            LOG.debug(line, args);
        }
    }

    /** What makes an unchanged announcement worth applying again: the loop's inputs and the Service's version. */
    private static Object serviceTrigger(Object trigger, Service service) {
        return List.of(trigger, Contingencies.resourceVersion(service));
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
