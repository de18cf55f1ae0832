package io.ferrolb.speaker.membership;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a starting speaker has joined the gossip group well enough to announce: a speaker
 * that starts alone, or with a partial view, would otherwise claim VIPs whose owner still answers
 * (docs/design.md §4.5). Pure: the caller supplies the clock readings.
 *
 * <p>Joined, checked in this order:
 * <ol>
 *   <li>{@link Reason#NO_PEERS}: the peer list was read and holds no other speaker;
 *   <li>{@link Reason#ALL_PEERS_IN_VIEW}: every listed peer is in the view;
 *   <li>{@link Reason#SYNCED_WITH_PEER}: a member in the view exchanged its full table with us (an
 *       authenticated Sync or SyncAck from it), and the view has been quiet for the settle time since
 *       that sync and since its last change, because the sync's records are added asynchronously;
 *       the listed peers still missing are then taken as unreachable;
 *   <li>{@link Reason#DEADLINE}: the join deadline passed; the caller logs what is missing.
 * </ol>
 */
public final class JoinGate {

    private JoinGate() {
    }

    /** Why the gate opened. */
    public enum Reason {
        NO_PEERS, ALL_PEERS_IN_VIEW, SYNCED_WITH_PEER, DEADLINE
    }

    /**
     * What the gate looks at. All times are measured from the start of the membership.
     *
     * @param elapsed now
     * @param deadline the join deadline
     * @param settle how long the view must be quiet after a sync
     * @param peersResolved whether the peer list has been read at least once
     * @param peers listed peer endpoints, this speaker excluded
     * @param view endpoints of the members in the view that are not leaving, this speaker excluded
     * @param syncedAt per endpoint, when its last Sync or SyncAck arrived
     * @param lastViewChange when the view last changed (zero if never)
     */
    public record Progress(
            Duration elapsed,
            Duration deadline,
            Duration settle,
            boolean peersResolved,
            Set<String> peers,
            Set<String> view,
            Map<String, Duration> syncedAt,
            Duration lastViewChange) {

        public Progress {
            Objects.requireNonNull(elapsed, "elapsed");
            Objects.requireNonNull(deadline, "deadline");
            Objects.requireNonNull(settle, "settle");
            Objects.requireNonNull(lastViewChange, "lastViewChange");
            peers = Set.copyOf(peers);
            view = Set.copyOf(view);
            syncedAt = Map.copyOf(syncedAt);
        }

        /** Listed peers not in the view, sorted for logs. */
        public Set<String> missing() {
            TreeSet<String> missing = new TreeSet<>(peers);
            missing.removeAll(view);
            return missing;
        }
    }

    /** The gate's answer. */
    public sealed interface Verdict {

        /** Listed peers not in the view at the time of the verdict. */
        Set<String> missing();

        /** Still joining. */
        record Waiting(Set<String> missing) implements Verdict {
            public Waiting {
                missing = Set.copyOf(missing);
            }
        }

        /** Joined; announcing may start. {@code peer} is the synced member for {@link Reason#SYNCED_WITH_PEER}. */
        record Joined(Reason reason, String peer, Set<String> missing) implements Verdict {
            public Joined {
                Objects.requireNonNull(reason, "reason");
                missing = Set.copyOf(missing);
            }
        }
    }

    /** The verdict for one moment. */
    public static Verdict decide(Progress p) {
        Set<String> missing = p.missing();
        if (p.peersResolved() && p.peers().isEmpty()) {
            return new Verdict.Joined(Reason.NO_PEERS, null, missing);
        }
        if (p.peersResolved() && missing.isEmpty()) {
            return new Verdict.Joined(Reason.ALL_PEERS_IN_VIEW, null, missing);
        }
        String synced = settledSync(p);
        if (synced != null) {
            return new Verdict.Joined(Reason.SYNCED_WITH_PEER, synced, missing);
        }
        if (p.elapsed().compareTo(p.deadline()) >= 0) {
            return new Verdict.Joined(Reason.DEADLINE, null, missing);
        }
        return new Verdict.Waiting(missing);
    }

    /** The member whose sync has settled into the view, or null; the smallest endpoint if several. */
    private static String settledSync(Progress p) {
        return new TreeSet<>(p.syncedAt().keySet()).stream()
                .filter(p.view()::contains)
                .filter(endpoint -> {
                    Duration quietSince = max(p.syncedAt().get(endpoint), p.lastViewChange());
                    return p.elapsed().minus(quietSince).compareTo(p.settle()) >= 0;
                })
                .findFirst()
                .orElse(null);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
