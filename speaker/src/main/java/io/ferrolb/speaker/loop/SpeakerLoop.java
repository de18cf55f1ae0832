package io.ferrolb.speaker.loop;

import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.common.CoalescingRunner;
import io.ferrolb.config.Config;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.handoff.Handoff;
import io.ferrolb.speaker.handoff.HandoffException;
import io.ferrolb.speaker.plan.Announcement;
import io.ferrolb.speaker.plan.Decision;
import io.ferrolb.speaker.plan.Interfaces;
import io.ferrolb.speaker.plan.LiveSpeakers;
import io.ferrolb.speaker.plan.NotAnnounced;
import io.ferrolb.speaker.plan.Plan;
import io.ferrolb.speaker.plan.PlanOptions;
import io.ferrolb.speaker.plan.Planner;
import io.ferrolb.speaker.plan.ServiceKey;
import io.ferrolb.speaker.plan.Snapshot;
import io.ferrolb.speaker.status.StatusSink;
import io.ferrolb.speaker.wire.Wire;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speaker's one thread of decisions (docs/design.md §3.2): every input marks the state dirty; an
 * iteration reads all inputs, plans (pure), and applies the difference between what this node
 * should announce and what it announces through the seams. Nothing is ever applied from a partial
 * view: a configuration that does not parse, or that would drop the pool of an address this node
 * announces, is not adopted; nothing is announced before the speaker joined its peers.
 */
public final class SpeakerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpeakerLoop.class);
    private static final Duration RESYNC = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Duration READ_BACK = Duration.ofMinutes(5);

    private final String node;
    private final LoopInputs inputs;
    private final Wire wire;
    private final Handoff handoff;
    private final StatusSink statuses;
    private final SpeakerEvents events;
    private final SpeakerMetrics metrics;
    private final PlanOptions options;
    private final NotAnnouncedReport notAnnounced;
    private final CoalescingRunner thread = new CoalescingRunner("speaker-loop", this::iterate);
    private final PlanningAhead ahead;
    private final PlanApplier applier;
    private final PreviousOwners previousOwners;
    private final ConfigAdoption configs;
    private volatile boolean started;
    /** Set by close() under the lock: no iteration applies anything after it. */
    private boolean closed;
    private boolean waitingLogged;
    private volatile boolean applied;
    /** A handoff command failed: converge the node's tables again at the next iteration. */
    private boolean handoffUnsynced;
    private long lastReconcile;

    public SpeakerLoop(String node, LoopInputs inputs, Wire wire, Handoff handoff, StatusSink statuses,
                       SpeakerEvents events, SpeakerMetrics metrics, PlanOptions options) {
        this.node = node;
        this.inputs = inputs;
        this.wire = wire;
        this.ahead = new PlanningAhead(wire::expect);
        this.handoff = handoff;
        this.statuses = statuses;
        this.events = events;
        this.metrics = metrics;
        this.options = options;
        this.notAnnounced = new NotAnnouncedReport(events, metrics.registry());
        this.applier = new PlanApplier(node, wire, handoff, events, metrics);
        this.previousOwners = new PreviousOwners(node);
        this.configs = new ConfigAdoption(metrics);
    }

    public void start() {
        started = true;
        thread.requestEvery(RESYNC);
        markDirty();
    }

    /**
     * One iteration on the caller's thread before {@link #start()}, for a speaker that has not
     * joined yet: it announces nothing, but plans once and stands by the rules of every Service it
     * is a candidate for (docs/design.md §8.4), so that its first iteration after joining only
     * claims. Its peers release their addresses to it as soon as they see it join.
     */
    public synchronized void prepare() {
        iterate();
    }

    /** Something changed; an iteration will run soon (coalesced with other changes). */
    public void markDirty() {
        // Informers report their initial lists before every cache exists; the first run follows start().
        if (started) {
            thread.request();
        }
    }

    /** True once a plan has been applied after joining. */
    public boolean ready() {
        return applied;
    }

    /** The Services this node announces now, with their addresses (for tests and diagnostics). */
    public synchronized Map<ServiceKey, List<IpAddress>> announced() {
        return applier.announced();
    }

    /** One iteration on the caller's thread, for tests that drive the loop step by step. */
    synchronized void runOnce() {
        iterate();
    }

    private void iterate() {
        try {
            metrics.update();
            step();
        } catch (RuntimeException e) {
            metrics.updateError();
            LOG.error("speaker iteration failed, retrying error={}", e.toString(), e);
            retryLater();
        }
    }

    private void step() {
        long started = System.nanoTime();
        Config config = configs.adopt(inputs, this::announced);
        if (config == null) {
            return;
        }
        Map<ServiceKey, Service> services = servicesByKey();
        LiveSpeakers view = inputs.liveSpeakers();
        boolean joined = inputs.joined();
        if (joined) {
            claimAhead(config, view, services);
        }
        Snapshot snapshot = new Snapshot(config, List.copyOf(services.values()), inputs.endpointSlices(),
                inputs.nodes(), view, node, wire.interfaces(), options);
        Plan plan = Planner.plan(snapshot);
        long planned = System.nanoTime();
        Map<ServiceKey, Announcement> desired = new LinkedHashMap<>();
        if (joined) {
            plan.announcements().forEach(a -> desired.put(a.service(), a));
            waitingLogged = false;
        } else if (!waitingLogged) {
            LOG.info("not announcing until this speaker has joined its peers node={}", node);
            waitingLogged = true;
        }
        LiveSpeakers liveNow = inputs.liveSpeakers();
        Object trigger = List.of(config, liveNow);
        synchronized (this) {
            // close() withdrew everything while this iteration was planning: it must not undo that.
            if (closed) {
                return;
            }
            // The view changed while this iteration was planning (planning a thousand Services on
            // a busy node takes tens of milliseconds): a false failure verdict refuted meanwhile
            // must not make this node claim the member's addresses for the length of an apply.
            // The change asked for another iteration already; ask again in case it did not (only
            // once started: before, prepare() and tests drive the iterations themselves).
            if (!liveNow.equals(snapshot.liveSpeakers())) {
                LOG.debug("membership changed while planning, planning again node={}", node);
                markDirty();
                return;
            }
            PlanApplier.HandoffFailure failure = applier.apply(desired, plan, services,
                    previousOwners.heldElsewhere(desired.keySet(), snapshot.liveSpeakers(), inputs.announcers(),
                            applier::announces), trigger);
            if (failure != null) {
                handoffFailed(failure.services(), failure.action(), failure.error());
            }
            previousOwners.planned(plan);
            reportFailures(plan, services);
            notAnnounced.update(inputs.joined() && isReporter(snapshot), plan, services);
            Map<ServiceKey, List<String>> report = new TreeMap<>();
            desired.forEach((key, a) -> report.put(key, a.interfaces() instanceof Interfaces.Only only
                    ? List.copyOf(only.names()) : List.of()));
            statuses.announced(report);
            if (joined) {
                ahead.planned(snapshot, plan);
            } else {
                ahead.notJoined(plan);
            }
            applier.logChanges(planned - started, System.nanoTime() - planned);
        }
        // Changes are written as differences; reading the tables back now and then repairs what
        // someone else changed in them.
        boolean readBackDue = System.nanoTime() - lastReconcile > READ_BACK.toNanos();
        if (inputs.joined() && (!applied || handoffUnsynced || readBackDue)) {
            reconcileHandoff();
        }
        applied = inputs.joined();
    }

    private Map<ServiceKey, Service> servicesByKey() {
        Map<ServiceKey, Service> services = new HashMap<>();
        inputs.services().forEach(s -> services.put(ServiceKey.of(s), s));
        return services;
    }

    /**
     * A peer went away and this view was planned ahead: claims its addresses now, before the full
     * plan of the new view (which follows at once and corrects anything the contingency missed).
     */
    private void claimAhead(Config config, LiveSpeakers view, Map<ServiceKey, Service> services) {
        Contingencies.Contingency contingency = ahead.forView(view, config).orElse(null);
        // Only a certain departure: a member SWIM declared dead may be busy, not gone, and be back
        // within a few hundred milliseconds, before the full plan (which checks for that) is done.
        if (contingency == null || !inputs.departed().contains(contingency.peer())) {
            return;
        }
        long started = System.nanoTime();
        synchronized (this) {
            if (closed || !inputs.liveSpeakers().equals(view)) {
                return;
            }
            int claimed = applier.claimAhead(contingency, services, List.of(config, view));
            if (claimed > 0) {
                metrics.claimedAhead(claimed);
                LOG.info("claimed ahead node={} services={} view={} ms={}", node, claimed, view,
                        (System.nanoTime() - started) / 1_000_000);
            }
        }
    }

    /** Only the first part of an iteration, the claim from a plan made ahead, for tests. */
    synchronized void runOnceClaimingAheadOnly() {
        Config config = configs.adopt(inputs, this::announced);
        if (config != null) {
            claimAhead(config, inputs.liveSpeakers(), servicesByKey());
        }
    }

    /** Plans the contingencies of the latest plan on the caller's thread, for tests. */
    void planAheadNow() {
        ahead.planNow();
    }

    /** Converges the handoff to exactly what is installed, removing what a previous run or a failure left. */
    private void reconcileHandoff() {
        lastReconcile = System.nanoTime();
        try {
            handoff.reconcile();
            handoffUnsynced = false;
        } catch (HandoffException e) {
            handoffFailed(List.of(), "reconcile", e);
        }
    }

    /**
     * A handoff command failed: an error, not a detail. Logged, counted, evented on the Service
     * when there is one, and retried: the next iteration converges the tables again.
     */
    private void handoffFailed(List<Service> services, String action, HandoffException e) {
        handoffUnsynced = true;
        metrics.handoffFailed(action);
        LOG.error("handoff failed, retrying action={} services={} node={} error={}", action, services.size(), node,
                e.getMessage());
        for (Service service : services) {
            events.handoffFailed(service, "could not " + action + " the handoff rules on node \"" + node + "\": "
                    + e.getMessage());
        }
        retryLater();
    }

    private void retryLater() {
        thread.requestAfter(RETRY);
    }

    private void reportFailures(Plan plan, Map<ServiceKey, Service> services) {
        for (Decision d : plan.decisions().values()) {
            if (d instanceof NotAnnounced.AnnounceFailed failed && inputs.joined()) {
                for (String message : failed.eventMessages()) {
                    events.announceFailed(services.get(failed.service()), message);
                }
            }
        }
    }

    /** The first live speaker by node name reports for all (every speaker computes the same). */
    private boolean isReporter(Snapshot snapshot) {
        Collection<String> speakers = snapshot.liveSpeakers() instanceof LiveSpeakers.Known m ? m.alive()
                : snapshot.nodes().stream().map(n -> n.getMetadata().getName()).toList();
        return speakers.stream().min(String::compareTo).map(node::equals).orElse(false);
    }

    /**
     * Withdraws every announcement at once and stops deciding: an iteration in flight finds the
     * loop closed and applies nothing. The speaker silences its wire and leaves the gossip group
     * first (neither waits for an iteration in flight), then calls this and {@link #close()}.
     */
    public synchronized void withdraw() {
        if (closed) {
            return;
        }
        closed = true;
        applier.withdrawAll();
        notAnnounced.clear();
    }

    /** {@link #withdraw()}, then returns once an iteration in flight has ended (at most {@link #CLOSE_WAIT}). */
    @Override
    public void close() {
        withdraw();
        ahead.close();
        thread.close();
        try {
            if (!thread.awaitTermination(CLOSE_WAIT)) {
                LOG.warn("speaker loop still busy after {} ms at close", CLOSE_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
