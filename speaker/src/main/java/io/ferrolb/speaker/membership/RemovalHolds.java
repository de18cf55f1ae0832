package io.ferrolb.speaker.membership;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The removals SWIM asked for that neither a leave nor the crash watch confirms (docs/design.md
 * §4.8): the verdict may be false, so the member stays in the view while the removal is held.
 * While this process is itself late (see {@link LocalHealth}), its own missed acknowledgements are
 * the likelier cause. Otherwise the member's port is knocked on ({@link PortKnock}), and the
 * removal waits only while it answers. A member SWIM re-adds meanwhile never leaves the view; one
 * still gone when the hold runs out is knocked on again, and held again while its port answers,
 * up to a limit. A port that refuses counts as answering where the crash watch runs: that watch
 * proves a dead process within milliseconds, long before SWIM's verdict, so a refusal it did not
 * take as proof is a firewall's (§4.6).
 *
 * <p>Membership thread only: timers run on it and knocks come back to it.
 */
final class RemovalHolds {

    private static final Logger LOG = LoggerFactory.getLogger(RemovalHolds.class);

    /**
     * One held removal: since when the member counts as declared failed. A new instance for every
     * hold, so that a late timer or knock can tell whether the hold it belongs to is still the one
     * in force (compared by identity).
     */
    private record Hold(long since) {
    }

    /** Removes a member whose hold ended without SWIM re-adding it (membership thread). */
    interface Release {
        void release(String id, String name);
    }

    private final ScheduledExecutorService thread;
    private final Consumer<Runnable> onThread;
    private final PortKnock knock;
    private final LocalHealth health;
    private final Supplier<Duration> holdLength;
    private final Duration maxHold;
    private final Release release;
    private final CrashWatches watches;
    /** Failure removals waiting out a hold, by member id. */
    private final Map<String, Hold> held = new HashMap<>();

    /**
     * @param thread the membership thread, for the timers
     * @param onThread runs a task on the membership thread (a knock's answer comes on another)
     * @param holdLength how long one hold lasts (long enough for SWIM to refute the verdict)
     * @param maxHold the longest a removal is held while the member's port keeps answering
     * @param watches the crash watch: where it does not run, a refused knock confirms the verdict
     */
    RemovalHolds(ScheduledExecutorService thread, Consumer<Runnable> onThread, PortKnock knock, LocalHealth health,
            Supplier<Duration> holdLength, Duration maxHold, CrashWatches watches, Release release) {
        this.thread = thread;
        this.onThread = onThread;
        this.knock = knock;
        this.health = health;
        this.holdLength = holdLength;
        this.maxHold = maxHold;
        this.release = release;
        this.watches = watches;
    }

    /** SWIM declared the member dead, and nothing confirms it: its removal waits. */
    void hold(String id, String name, String endpoint) {
        long now = System.nanoTime();
        Hold hold = start(id, name, endpoint, now);
        if (health.unhealthy(now)) {
            LOG.warn("Member declared failed while this node is slow: holding the removal member={} holdMs={} "
                    + "worstLatenessMs={}", name, holdLength.get().toMillis(),
                    health.worstRecentLateness().toMillis());
        } else {
            knock.knock(endpoint)
                    .thenAccept(answer -> onThread.accept(() -> knocked(id, name, endpoint, hold, answer)));
        }
    }

    /** The member is back or gone for certain: its hold, if any, ends. True when there was one. */
    boolean end(String id) {
        return held.remove(id) != null;
    }

    /** Holds the removal for one hold time from now. */
    private Hold start(String id, String name, String endpoint, long since) {
        Hold hold = new Hold(since);
        held.put(id, hold);
        thread.schedule(() -> expired(id, name, endpoint, hold), holdLength.get().toMillis(), TimeUnit.MILLISECONDS);
        return hold;
    }

    /** Whether {@code hold} is still the one in force for the member (not re-added, removed or renewed). */
    private boolean inForce(String id, Hold hold) {
        return held.get(id) == hold;
    }

    /** The knock made at the verdict came back. */
    private void knocked(String id, String name, String endpoint, Hold hold, PortKnock.Answer answer) {
        if (!inForce(id, hold)) {
            return;
        }
        if (answer == PortKnock.Answer.LISTENS) {
            LOG.warn("Member declared failed but its membership port answers: holding the removal member={} "
                    + "holdMs={}", name, holdLength.get().toMillis());
        } else if (doubtful(answer)) {
            LOG.warn("Member declared failed and its membership port refuses us, but no crash was seen: holding "
                    + "the removal member={} holdMs={} watch={}", name, holdLength.get().toMillis(),
                    watches.describe(endpoint));
        } else {
            LOG.debug("Member declared failed and its membership port is silent member={} answer={}", name, answer);
            released(id, name, hold);
        }
    }

    /**
     * A hold ran out without SWIM re-adding the member: knocks again, and holds once more while
     * the port answers (a process starting up on a starved machine can stay behind on SWIM for
     * seconds), up to the longest hold; removes the member otherwise.
     */
    private void expired(String id, String name, String endpoint, Hold hold) {
        if (!inForce(id, hold)) {
            return;
        }
        knock.knock(endpoint).thenAccept(answer -> onThread.accept(() -> {
            if (!inForce(id, hold)) {
                return;
            }
            long now = System.nanoTime();
            if (doubtful(answer) && now - hold.since() < maxHold.toNanos()) {
                start(id, name, endpoint, hold.since());
                LOG.info("Member still declared failed and its membership port leaves that in doubt: holding again "
                        + "member={} answer={} heldMs={}", name, answer, (now - hold.since()) / 1_000_000);
            } else {
                released(id, name, hold);
            }
        }));
    }

    /** Whether the knock's answer leaves SWIM's verdict in doubt. */
    private boolean doubtful(PortKnock.Answer answer) {
        return answer == PortKnock.Answer.LISTENS || (answer == PortKnock.Answer.REFUSED && watches.on());
    }

    private void released(String id, String name, Hold hold) {
        if (inForce(id, hold)) {
            held.remove(id);
            release.release(id, name);
        }
    }
}
