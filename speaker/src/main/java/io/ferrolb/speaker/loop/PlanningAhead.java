package io.ferrolb.speaker.loop;

import io.ferrolb.common.CoalescingRunner;
import io.ferrolb.config.Config;
import io.ferrolb.speaker.plan.LiveSpeakers;
import io.ferrolb.speaker.plan.Plan;
import io.ferrolb.speaker.plan.Snapshot;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the {@link Contingencies} of the loop's latest plan (docs/design.md §7.6), planned on a
 * thread of their own so that the loop never waits for them: a departure that comes before they
 * are ready is planned in full, as it would be without them.
 */
final class PlanningAhead implements AutoCloseable {

    private record Planned(Snapshot snapshot, Plan plan) {
    }

    private final CoalescingRunner thread = new CoalescingRunner("speaker-ahead", this::planLatest);
    private volatile Planned latest;
    private volatile Map<LiveSpeakers, Contingencies.Contingency> byView = Map.of();

    /** The loop applied this plan: plan its contingencies soon. */
    void planned(Snapshot snapshot, Plan plan) {
        latest = new Planned(snapshot, plan);
        thread.request();
    }

    /** Nothing may be claimed ahead (this node has not joined). */
    void forget() {
        latest = null;
        byView = Map.of();
    }

    /** What to claim now that the view is {@code view}, if it was planned under {@code config}. */
    Optional<Contingencies.Contingency> forView(LiveSpeakers view, Config config) {
        Contingencies.Contingency c = byView.get(view);
        return c != null && c.config().equals(config) ? Optional.of(c) : Optional.empty();
    }

    /** Plans the latest plan's contingencies on the caller's thread (tests). */
    void planNow() {
        planLatest();
    }

    private void planLatest() {
        Planned now = latest;
        if (now != null) {
            byView = Contingencies.plan(now.snapshot(), now.plan());
        }
    }

    @Override
    public void close() {
        thread.close();
    }
}
