package io.ferrolb.speaker.plan;

import io.ferrolb.net.IpAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one node must announce: a decision for every Service of the snapshot, sorted by key. The
 * loop diffs it against what it currently announces; a Service absent from the plan was deleted.
 *
 * @param node      the node the plan is for
 * @param decisions the decision per Service
 */
public record Plan(String node, SortedMap<ServiceKey, Decision> decisions) {

    public Plan {
        Objects.requireNonNull(node, "node");
        decisions = Collections.unmodifiableSortedMap(new TreeMap<>(decisions));
    }

    /** Computes the plan of a snapshot; see {@link Planner}. */
    public static Plan of(Snapshot snapshot) {
        return Planner.plan(snapshot);
    }

    public Optional<Decision> decision(ServiceKey service) {
        return Optional.ofNullable(decisions.get(service));
    }

    /** The Services this node announces, sorted by key. */
    public List<Announcement> announcements() {
        return decisions.values().stream()
                .filter(Announcement.class::isInstance).map(Announcement.class::cast).toList();
    }

    /** The IPs this node announces, per Service: the input of {@link StaleConfigGuard}. */
    public Map<ServiceKey, List<IpAddress>> announcedIps() {
        Map<ServiceKey, List<IpAddress>> out = new LinkedHashMap<>();
        announcements().forEach(a -> out.put(a.service(), a.ips()));
        return Collections.unmodifiableMap(out);
    }
}
