package io.ferrolb.speaker.loop;

import io.ferrolb.common.CoalescingRunner;
import io.ferrolb.config.Config;
import io.ferrolb.speaker.plan.LiveSpeakers;
import io.ferrolb.speaker.plan.Plan;
import io.ferrolb.speaker.plan.Snapshot;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.plan.Announcement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the {@link Contingencies} of the loop's latest plan (docs/design.md §7.6), planned on a
 * thread of their own so that the loop never waits for them: a departure that comes before they
 * are ready is planned in full, as it would be without them. The addresses of each contingency go to
 * the wire as it is planned ({@link io.ferrolb.speaker.wire.Wire#expect}), so that it can be ready
 * to answer them.
 */
final class PlanningAhead implements AutoCloseable {

    private record Planned(Snapshot snapshot, Plan plan) {
    }

    private final CoalescingRunner thread = new CoalescingRunner("speaker-ahead", this::planLatest);
    private volatile Planned latest;
    private volatile Map<LiveSpeakers, Contingencies.Contingency> byView = Map.of();
    private final Consumer<List<Set<IpAddress>>> expected;

    /** @param expected told the addresses of every contingency, each time they are planned */
    PlanningAhead(Consumer<List<Set<IpAddress>>> expected) {
        this.expected = expected;
    }

    /** The loop applied this plan: plan its contingencies soon. */
    void planned(Snapshot snapshot, Plan plan) {
        latest = new Planned(snapshot, plan);
        thread.request();
    }

    /**
     * Nothing may be claimed ahead (this node has not joined), but the first plan after the join
     * claims part of what this node would win alone ({@code alone}): the wire makes its filter
     * ready for all of it, so that a restarted speaker's first claim does not let every ARP frame
     * through while a thousand probed addresses move back.
     */
    void notJoined(Plan alone) {
        latest = null;
        byView = Map.of();
        Set<IpAddress> ips = addresses(alone.announcements());
        expected.accept(ips.isEmpty() ? List.of() : List.of(ips));
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
            Map<LiveSpeakers, Contingencies.Contingency> planned = Contingencies.plan(now.snapshot(), now.plan());
            byView = planned;
            expected.accept(planned.values().stream().map(c -> addresses(c.claims()))
                    .filter(ips -> !ips.isEmpty()).toList());
        }
    }

    private static Set<IpAddress> addresses(List<Announcement> announcements) {
        Set<IpAddress> ips = new HashSet<>();
        for (Announcement a : announcements) {
            ips.addAll(a.ips());
        }
        return Set.copyOf(ips);
    }

    @Override
    public void close() {
        thread.close();
    }
}
