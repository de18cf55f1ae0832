package io.ferrolb.speaker.membership;

import io.ferrolb.common.Daemons;
import io.scalecube.cluster.ClusterImpl;
import io.scalecube.cluster.ClusterMessageHandler;
import io.scalecube.cluster.codec.jackson.JacksonMessageCodec;
import io.scalecube.cluster.membership.MembershipEvent;
import io.scalecube.cluster.transport.api.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This speaker's membership in the gossip group of all speakers: scalecube-cluster (SWIM) over TCP
 * on the host address, every message sealed with the membership Secret, peers taken from a
 * {@link PeerSource}, and a join gate that tells the speaker loop when it may announce.
 *
 * <p>All state lives on one thread of our own ({@code ferrolb-membership}): scalecube's scheduler
 * thread only hands events over, so a slow listener never stalls failure detection or gossip. The
 * listener is called on that thread, after every change of the alive set and when the gate opens.
 * {@link #close()} leaves the group (peers see LEAVING within a few gossip rounds) and stops.
 */
public final class Membership implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
    private static final Duration GATE_TICK = Duration.ofMillis(50);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    private static final Duration MIN_REMOVAL_HOLD = Duration.ofSeconds(1);
    /** How long a member's kernel has to answer a knock on its port (see {@link PortKnock}). */
    static final Duration KNOCK_TIMEOUT = Duration.ofMillis(250);
    /** The longest a removal is held while the member's port keeps answering (a hung process). */
    static final Duration MAX_REMOVAL_HOLD = Duration.ofSeconds(5);

    private final MembershipSettings settings;
    private final Consumer<MembershipView> listener;
    private final SealedMessageCodec codec;
    private final ScheduledExecutorService loop;
    private final PeerSync peers;
    private final JoinState state;
    /** start() and close() exclude each other: a SIGTERM during start must still leave. */
    private final Object lifecycle = new Object();
    private volatile MembershipView view;
    private volatile ClusterImpl cluster;
    private volatile SyncTap tap;
    private volatile boolean closed;
    private final CrashWatches crashWatches;
    private final LocalHealth health = LocalHealth.defaults(System.nanoTime());
    private final HealthTicker healthTicker = new HealthTicker(health);
    private final PortKnock knock;
    private final RemovalHolds holds;
    private final CrashVerdicts verdicts;

    /**
     * @param settings node name, addresses, timers
     * @param sealer seals every message; built from the membership Secret
     * @param peerSource the speaker Pods' membership endpoints
     * @param listener called on the membership thread after each view change; must not block long
     */
    public Membership(MembershipSettings settings, MessageSealer sealer, PeerSource peerSource,
            Consumer<MembershipView> listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.codec = new SealedMessageCodec(new JacksonMessageCodec(), sealer);
        this.loop = Daemons.singleThread("ferrolb-membership");
        this.state = new JoinState(settings, System.nanoTime());
        this.peers = new PeerSync(settings, Objects.requireNonNull(peerSource, "peerSource"), state, this::submit,
                this::evaluateGate, () -> tap);
        this.view = new MembershipView(state.table().aliveNames(), false);
        this.crashWatches = settings.crashWatch()
                ? new CrashWatches(new CrashWatch(settings.bindAddress(), settings.timers().connectTimeout(),
                        this::onWatchedCrash))
                : CrashWatches.off();
        this.knock = new PortKnock(settings.bindAddress(), KNOCK_TIMEOUT);
        this.holds = new RemovalHolds(loop, this::submit, knock, health, this::removalHold, MAX_REMOVAL_HOLD,
                crashWatches, this::removedAfterHold);
        this.verdicts = new CrashVerdicts(settings.nodeName(), state, crashWatches, settings.timers(), loop,
                this::changed, this::disconnect, this::spread);
    }

    /**
     * Binds the transport, syncs with the listed peers (waits at most the sync timeout for their
     * answers) and starts the periodic work. The gate may still be closed when this returns.
     *
     * @throws IllegalStateException when already started or closed, or when the start does not
     *     finish within the sync and connect timeouts plus 10 s ({@link #close()} still stops it)
     */
    public void start() {
        synchronized (lifecycle) {
            if (closed || cluster != null) {
                throw new IllegalStateException("membership already started or closed");
            }
            doStart();
        }
    }

    private void doStart() {
        List<String> seeds = new ArrayList<>(peers.listNow());
        state.restart(System.nanoTime());
        ClusterMessageHandler handler = new ClusterMessageHandler() {
            @Override
            public void onMembershipEvent(MembershipEvent event) {
                submit(() -> onEvent(event));
            }

            @Override
            public void onGossip(Message gossip) {
                if (CrashVerdicts.isVerdict(gossip)) {
                    submit(() -> verdicts.reported(gossip));
                }
            }
        };
        BoundTcpTransportFactory transports = new BoundTcpTransportFactory(settings.bindAddress(), created -> {
            created.onSyncFrom(sender -> submit(() -> onSynced(sender)));
            // Only the direct path to such a member looks cut: its port refuses us and no crash was
            // seen (docs/design.md §4.9). One whose port still accepts is asked as before: a stopped
            // or hung process must not come back on a stale record.
            created.answerMetadataFor(crashWatches::refusesWithoutProof);
            tap = created;
        });
        ClusterImpl built = ClusterBuilder.build(settings, codec, transports, seeds, handler);
        LOG.info("Starting membership node={} endpoint={} seeds={} timers={}", settings.nodeName(),
                settings.advertisedEndpoint(), seeds, settings.timers());
        Duration startBudget = settings.timers().syncTimeout().plus(settings.timers().connectTimeout())
                .plusSeconds(10);
        cluster = built; // before blocking: close() must be able to stop a start that fails or times out
        built.start().block(startBudget);
        long rejoinMs = settings.rejoinInterval().toMillis();
        loop.scheduleWithFixedDelay(peers::maintain, rejoinMs, rejoinMs, TimeUnit.MILLISECONDS);
        loop.scheduleWithFixedDelay(this::evaluateGate, 0, GATE_TICK.toMillis(), TimeUnit.MILLISECONDS);
        healthTicker.start();
        LOG.info("Membership started node={} endpoint={}", settings.nodeName(), settings.advertisedEndpoint());
    }

    /** The current view; safe from any thread. */
    public MembershipView view() {
        return view;
    }

    /** Node names of the live speakers, this node included, leaving members excluded. */
    public Set<String> alive() {
        return view.alive();
    }

    /** Whether the join gate has opened (it stays open). */
    public boolean joined() {
        return view.joined();
    }

    /** Re-reads the peer list now and syncs with missing peers, e.g. when a Node changed; no-op before start. */
    public void refreshPeers() {
        if (cluster != null) {
            submit(peers::request);
        }
    }

    /** Frames dropped because they did not open with our key (another secret, or not a speaker). */
    public long droppedMessages() {
        return codec.droppedCount();
    }

    /** The sealing codec, for its counters. */
    SealedMessageCodec codec() {
        return codec;
    }

    /** Leaves the group (LEAVING gossip), stops the transport and our threads. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            crashWatches.close();
            leave(cluster);
        }
        loop.shutdownNow();
        peers.close();
        knock.close();
        healthTicker.close();
        LOG.info("Membership stopped node={}", settings.nodeName());
    }

    private void leave(ClusterImpl running) {
        if (running != null) {
            LOG.info("Leaving the gossip group node={}", settings.nodeName());
            running.shutdown();
            try {
                running.onShutdown().block(SHUTDOWN_WAIT);
            } catch (RuntimeException e) {
                LOG.warn("Leaving the gossip group did not finish node={} error={}", settings.nodeName(), e.toString());
            }
        }
    }

    private void onEvent(MembershipEvent event) {
        String id = event.member().id();
        String name = event.member().alias();
        String endpoint = event.member().address();
        String change;
        switch (event.type()) {
            case ADDED -> {
                if (holds.end(id)) {
                    LOG.info("Member back before its held removal: it never left the view member={}", name);
                }
                state.table().added(id, name, endpoint);
                crashWatches.added(id, endpoint);
                change = "member-added";
            }
            case LEAVING -> {
                state.table().leaving(id, name, endpoint);
                crashWatches.unwatch(id);
                change = "member-leaving";
            }
            case REMOVED -> {
                // SWIM stopped talking to it either way, held or not: a connection left open to a
                // process that died behind a downed link stays half-open, and the restarted speaker's
                // replies would wait on it for seconds of TCP retransmission (RestartIT saw 3.5 s of
                // two owners when a held removal skipped this).
                disconnect(endpoint);
                if (!state.table().isGone(id)) {
                    holds.hold(id, name, endpoint);
                    return;
                }
                holds.end(id);
                change = state.table().removed(id) ? "member-left" : "member-failed";
                crashWatches.gone(id);
            }
            default -> {
                return; // UPDATED: metadata only, which ferrolb does not use
            }
        }
        state.viewChanged(System.nanoTime()); // any change, even a restart under the same name, resets the settle
        publish("change=" + change + " member=" + name + " endpoint=" + endpoint);
        evaluateGate();
    }

    /** A held removal ran out and SWIM never re-added the member: it leaves the view now. */
    private void removedAfterHold(String id, String name) {
        boolean left = state.table().removed(id);
        crashWatches.gone(id);
        LOG.info("Held removal confirmed member={}", name);
        changed("change=" + (left ? "member-left" : "member-failed") + " member=" + name);
        evaluateGate();
    }

    /** Long enough for SWIM to refute a false suspicion: its own detection time, at least a second. */
    private Duration removalHold() {
        Duration swim = settings.timers().detectionTime(state.table().size());
        return swim.compareTo(MIN_REMOVAL_HOLD) < 0 ? MIN_REMOVAL_HOLD : swim;
    }

    private void disconnect(String endpoint) {
        SyncTap current = tap;
        if (current != null) {
            current.disconnect(endpoint);
        }
    }

    /** The crash watch's listener, on a watch thread. */
    private void onWatchedCrash(String id, String endpoint) {
        submit(() -> verdicts.watched(id, endpoint));
    }

    /** The view changed outside a SWIM event. */
    private void changed(String change) {
        state.viewChanged(System.nanoTime());
        publish(change);
    }

    private void spread(Message gossip) {
        ClusterImpl running = cluster;
        if (running != null) {
            running.spreadGossip(gossip).subscribe(sent -> { },
                    e -> LOG.debug("Cannot spread a gossip node={} error={}", settings.nodeName(), e.toString()));
        }
    }

    private void onSynced(String sender) {
        state.synced(sender, System.nanoTime());
        evaluateGate();
    }

    private void evaluateGate() {
        if (state.isJoined()) {
            return;
        }
        JoinGate.Verdict verdict = state.evaluate(System.nanoTime());
        if (verdict instanceof JoinGate.Verdict.Joined joined) {
            Duration after = state.elapsed(System.nanoTime());
            if (joined.reason() == JoinGate.Reason.DEADLINE) {
                LOG.warn("Joined by deadline: announcing with a view that may be incomplete node={} after_ms={}"
                        + " alive={} missing={}", settings.nodeName(), after.toMillis(),
                        state.table().aliveNames(), joined.missing());
            } else {
                LOG.info("Joined the gossip group node={} reason={} peer={} after_ms={} alive={} missing={}",
                        settings.nodeName(), joined.reason(), joined.peer(), after.toMillis(),
                        state.table().aliveNames(), joined.missing());
            }
            publish("change=joined");
        }
    }

    private void publish(String change) {
        MembershipView next = new MembershipView(state.table().aliveNames(), state.isJoined(),
                state.table().departedNames());
        if (next.equals(view)) {
            return;
        }
        boolean aliveChanged = !next.alive().equals(view.alive());
        view = next;
        if (aliveChanged) {
            LOG.info("Membership view changed node={} {} alive={} joined={}", settings.nodeName(), change,
                    next.alive(), next.joined());
        }
        try {
            listener.accept(view);
        } catch (RuntimeException e) {
            LOG.error("Membership listener failed node={}", settings.nodeName(), e);
        }
    }

    private void submit(Runnable task) {
        if (closed) {
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Membership event after close ignored");
        }
    }
}
