package io.ferrolb.speaker.membership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The members this speaker knows, by scalecube member id, fed from membership events. A member that
 * announced it is leaving counts as gone at once: scalecube keeps it in its member list until its
 * suspicion timeout (docs/design.md §4.4), which would turn a graceful handoff into a crash failover.
 * Names are node names; a restarted speaker has a new id under the same name, so a name is alive
 * while any of its ids is. Not thread-safe: one thread owns it.
 */
final class MemberTable {

    /** @param crashedAt when the crash watch reported it (nanoTime), meaningful while {@code crashed} */
    private record Entry(String name, String endpoint, boolean leaving, boolean crashed, long crashedAt) {
        boolean gone() {
            return leaving || crashed;
        }
    }

    private final String selfName;
    private final Map<String, Entry> members = new HashMap<>();

    MemberTable(String selfName) {
        this.selfName = selfName;
    }

    /** A member joined, or came back after being removed. */
    void added(String id, String name, String endpoint) {
        members.put(id, new Entry(name, endpoint, false, false, 0));
    }

    /** A member announced its leave. */
    void leaving(String id, String name, String endpoint) {
        members.put(id, new Entry(name, endpoint, true, false, 0));
    }

    /**
     * The crash watch proved the member's process gone; it counts as gone until scalecube removes
     * it, or until the verdict expires. Returns whether the view changed.
     */
    boolean crashed(String id, long nowNanos) {
        Entry entry = members.get(id);
        if (entry == null || entry.gone()) {
            return false;
        }
        members.put(id, new Entry(entry.name(), entry.endpoint(), false, true, nowNanos));
        return true;
    }

    /**
     * Crash verdicts older than {@code ttl} that SWIM has not confirmed by removing the member:
     * SWIM's own view (indirect probes through other members) says the member lives, so it is
     * alive again. Returns the ids restored.
     */
    List<String> expireCrashes(long nowNanos, Duration ttl) {
        List<String> restored = new ArrayList<>();
        members.forEach((id, e) -> {
            if (e.crashed() && !e.leaving() && nowNanos - e.crashedAt() >= ttl.toNanos()) {
                restored.add(id);
            }
        });
        restored.forEach(id -> {
            Entry e = members.get(id);
            members.put(id, new Entry(e.name(), e.endpoint(), false, false, 0));
        });
        return restored;
    }

    /** How many members the table holds, this node included: scalecube's table size. */
    int size() {
        return members.size() + 1;
    }

    /** Whether the member left, crashed, or is unknown: its removal is no failure to doubt. */
    boolean isGone(String id) {
        Entry entry = members.get(id);
        return entry == null || entry.gone();
    }

    /** The endpoint of a member counted alive; null when it is unknown or gone. */
    String endpointOf(String id) {
        Entry entry = members.get(id);
        return entry == null || entry.gone() ? null : entry.endpoint();
    }

    /** The node name of a member id, if known. */
    String nameOf(String id) {
        Entry entry = members.get(id);
        return entry == null ? "?" : entry.name();
    }

    /** A member was removed (failed, or its leave completed); returns whether it had already gone. */
    boolean removed(String id) {
        Entry entry = members.remove(id);
        return entry != null && entry.gone();
    }

    /** Node names alive in the view, this node included, sorted. */
    Set<String> aliveNames() {
        TreeSet<String> names = new TreeSet<>();
        names.add(selfName);
        members.values().stream().filter(e -> !e.gone()).forEach(e -> names.add(e.name()));
        return names;
    }

    /**
     * Node names out of the view because they announced their leave or the crash watch saw them
     * die, and not alive under another id: departures no failure detector guessed.
     */
    Set<String> departedNames() {
        Set<String> alive = aliveNames();
        TreeSet<String> names = new TreeSet<>();
        members.values().stream().filter(Entry::gone).map(Entry::name).filter(n -> !alive.contains(n))
                .forEach(names::add);
        return names;
    }

    /** Endpoints of the other members alive in the view. */
    Set<String> aliveEndpoints() {
        TreeSet<String> endpoints = new TreeSet<>();
        members.values().stream().filter(e -> !e.gone()).forEach(e -> endpoints.add(e.endpoint()));
        return endpoints;
    }
}
