package io.ferrolb.speaker.membership;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The membership layer's mutable state: the member table, the listed peers, the syncs seen, and the
 * join gate's latch. Owned by the membership thread; times are {@link System#nanoTime()} readings.
 */
final class JoinState {

    private final MembershipSettings settings;
    private final MemberTable table;
    private final Map<String, Long> syncedAt = new HashMap<>();
    private Set<String> peers = Set.of();
    private boolean peersResolved;
    private long startNanos;
    private long lastViewChangeNanos;
    private long lastPeerRequestNanos;
    private JoinGate.Verdict.Joined joined;

    JoinState(MembershipSettings settings, long nowNanos) {
        this.settings = settings;
        this.table = new MemberTable(settings.nodeName());
        restart(nowNanos);
    }

    /** The gate's clock starts when the cluster starts. */
    void restart(long nowNanos) {
        startNanos = nowNanos;
        lastViewChangeNanos = nowNanos;
        lastPeerRequestNanos = nowNanos;
    }

    MemberTable table() {
        return table;
    }

    /** A fresh peer list; our own endpoint is dropped from it. */
    void peersResolved(Collection<String> listed) {
        TreeSet<String> others = new TreeSet<>(listed);
        others.remove(settings.advertisedEndpoint());
        others.remove(Endpoints.of(settings.bindAddress(), settings.port()));
        peers = Set.copyOf(others);
        peersResolved = true;
    }

    Set<String> peers() {
        return new TreeSet<>(peers);
    }

    void peersRequested(long nowNanos) {
        lastPeerRequestNanos = nowNanos;
    }

    boolean peerRefreshDue(long nowNanos) {
        return nowNanos - lastPeerRequestNanos >= settings.peerRefreshInterval().toNanos();
    }

    /** Listed peers that are not alive in the view. */
    Set<String> missingPeers() {
        TreeSet<String> missing = new TreeSet<>(peers);
        missing.removeAll(table.aliveEndpoints());
        return missing;
    }

    void synced(String sender, long nowNanos) {
        syncedAt.put(sender, nowNanos);
    }

    void viewChanged(long nowNanos) {
        lastViewChangeNanos = nowNanos;
    }

    boolean isJoined() {
        return joined != null;
    }

    Duration elapsed(long nowNanos) {
        return Duration.ofNanos(nowNanos - startNanos);
    }

    /** Asks the gate; a Joined verdict is latched. */
    JoinGate.Verdict evaluate(long nowNanos) {
        if (joined != null) {
            return joined;
        }
        Map<String, Duration> synced = new HashMap<>();
        syncedAt.forEach((endpoint, at) -> synced.put(endpoint, elapsed(at)));
        JoinGate.Verdict verdict = JoinGate.decide(new JoinGate.Progress(elapsed(nowNanos),
                settings.joinDeadline(), settings.joinSettle(), peersResolved, peers, table.aliveEndpoints(),
                synced, elapsed(lastViewChangeNanos)));
        if (verdict instanceof JoinGate.Verdict.Joined j) {
            joined = j;
        }
        return verdict;
    }
}
