package io.ferrolb.speaker.loop;

import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.config.Config;
import io.ferrolb.speaker.plan.Announcement;
import io.ferrolb.speaker.plan.LiveSpeakers;
import io.ferrolb.speaker.plan.NotAnnounced;
import io.ferrolb.speaker.plan.Plan;
import io.ferrolb.speaker.plan.Planner;
import io.ferrolb.speaker.plan.ServiceKey;
import io.ferrolb.speaker.plan.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What this node would announce if one of its peers went away, planned ahead for every peer
 * (docs/design.md §7.6). When the membership view becomes one of these views, the loop claims the
 * planned addresses at once and plans in full after, instead of planning a thousand Services
 * while the departed peer's addresses go unanswered. Pure: plans from a snapshot, no I/O.
 */
final class Contingencies {

    /**
     * The announcements this node would add in {@code view}, planned from {@code config} and the
     * Services at the given resource versions, for the departure of {@code peer}.
     */
    record Contingency(String peer, LiveSpeakers view, Config config, List<Announcement> claims,
                       Map<ServiceKey, String> resourceVersions) {
        Contingency {
            claims = List.copyOf(claims);
            resourceVersions = Map.copyOf(resourceVersions);
        }

        /** Whether the Service is as it was planned: present, at the same resource version. */
        boolean current(ServiceKey key, Service service) {
            return service != null && Objects.equals(resourceVersions.get(key), resourceVersion(service));
        }
    }

    private Contingencies() {
    }

    /**
     * For each live peer that won an election this node lost as a candidate: the plan of those
     * Services in the view without that peer. Removing a peer changes only the elections it won,
     * so planning just those is the whole difference.
     */
    static Map<LiveSpeakers, Contingency> plan(Snapshot snapshot, Plan plan) {
        if (!(snapshot.liveSpeakers() instanceof LiveSpeakers.Known known)) {
            return Map.of();
        }
        Map<ServiceKey, Service> services = new HashMap<>();
        snapshot.services().forEach(s -> services.put(ServiceKey.of(s), s));
        Map<String, List<Service>> wonBy = new HashMap<>();
        plan.decisions().values().forEach(d -> {
            if (d instanceof NotAnnounced.NotOwner loser && loser.candidate()
                    && known.alive().contains(loser.winner()) && services.containsKey(d.service())) {
                wonBy.computeIfAbsent(loser.winner(), w -> new ArrayList<>()).add(services.get(d.service()));
            }
        });
        Map<LiveSpeakers, Contingency> out = new HashMap<>();
        wonBy.forEach((peer, theirs) -> {
            Set<String> alive = new HashSet<>(known.alive());
            alive.remove(peer);
            LiveSpeakers view = LiveSpeakers.of(alive);
            Plan without = Planner.plan(new Snapshot(snapshot.config(), theirs, snapshot.endpointSlices(),
                    snapshot.nodes(), view, snapshot.nodeName(), snapshot.interfaces(), snapshot.options()));
            Map<ServiceKey, String> versions = new HashMap<>();
            theirs.forEach(s -> versions.put(ServiceKey.of(s), resourceVersion(s)));
            out.put(view, new Contingency(peer, view, snapshot.config(), without.announcements(), versions));
        });
        return out;
    }

    /** A Service's {@code resourceVersion}, empty when it has none (objects built in tests). */
    static String resourceVersion(Service service) {
        return Objects.requireNonNullElse(service.getMetadata().getResourceVersion(), "");
    }
}
