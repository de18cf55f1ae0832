package io.ferrolb.speaker.membership;

import io.scalecube.cluster.transport.api.Message;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash verdicts (docs/design.md §4.6): proof that a member's process is gone, which the view counts
 * as gone at once. The proof comes from this node's crash watch, which this node then tells its
 * peers by gossip, or from a peer's: a watch may miss a crash that another saw, and without the
 * peer's word this node would wait for SWIM and, since the dead port refuses like a firewall's, for
 * the longest held removal (§4.8). A verdict SWIM has not confirmed within three of its detection
 * times is withdrawn. Membership thread only.
 */
final class CrashVerdicts {

    private static final Logger LOG = LoggerFactory.getLogger(CrashVerdicts.class);
    /** The gossip's qualifier; its {@link #MEMBER} header holds the member id, {@link #BY} the reporter's node. */
    static final String QUALIFIER = "ferrolb/member-crashed";
    static final String MEMBER = "member";
    static final String BY = "by";
    private static final Duration MIN_TTL = Duration.ofSeconds(2);

    private final String node;
    private final JoinState state;
    private final CrashWatches watches;
    private final SwimTimers timers;
    private final ScheduledExecutorService thread;
    private final Consumer<String> changed;
    private final Consumer<String> disconnect;
    private final Consumer<Message> gossip;

    /**
     * @param node this node, named in the gossip
     * @param thread the membership thread, for the verdicts' bounds
     * @param changed told the view changed, with a description of the change
     * @param disconnect closes the transport's connections to an endpoint
     * @param gossip spreads a gossip to the group (nothing before the start)
     */
    CrashVerdicts(String node, JoinState state, CrashWatches watches, SwimTimers timers,
            ScheduledExecutorService thread, Consumer<String> changed, Consumer<String> disconnect,
            Consumer<Message> gossip) {
        this.node = node;
        this.state = state;
        this.watches = watches;
        this.timers = timers;
        this.thread = thread;
        this.changed = changed;
        this.disconnect = disconnect;
        this.gossip = gossip;
    }

    /** Whether a gossip is a peer's crash verdict. */
    static boolean isVerdict(Message message) {
        return QUALIFIER.equals(message.qualifier()) && message.header(MEMBER) != null;
    }

    /** This node's crash watch proved the member's process gone: the view drops it, the peers are told. */
    void watched(String id, String endpoint) {
        if (crashed(id, endpoint, "watch")) {
            gossip.accept(Message.withQualifier(QUALIFIER).header(MEMBER, id).header(BY, node).build());
        }
    }

    /** A peer's crash watch proved it: proof here too, for a member this node still counts alive. */
    void reported(Message verdict) {
        String id = verdict.header(MEMBER);
        String endpoint = state.table().endpointOf(id);
        if (endpoint != null) {
            LOG.info("member crashed, by a peer's crash watch member={} endpoint={} peer={}", id, endpoint,
                    verdict.header(BY));
            crashed(id, endpoint, "peer");
        }
    }

    private boolean crashed(String id, String endpoint, String proof) {
        disconnect.accept(endpoint);
        if (!state.table().crashed(id, System.nanoTime())) {
            return false;
        }
        changed.accept("change=member-crashed member=" + state.table().nameOf(id) + " endpoint=" + endpoint
                + " proof=" + proof);
        Duration ttl = ttl();
        thread.schedule(() -> expire(ttl), ttl.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    /**
     * How long a verdict stands without SWIM removing the member: three rounds of SWIM's own
     * detection (probe interval plus suspicion timeout), at least two seconds. A member really gone
     * is removed by SWIM well within it.
     */
    private Duration ttl() {
        Duration swim = timers.detectionTime(state.table().size()).multipliedBy(3);
        return swim.compareTo(MIN_TTL) < 0 ? MIN_TTL : swim;
    }

    /**
     * SWIM still has members declared crashed: SWIM wins. They are alive again and no longer
     * watched: for them a refusal is evidently not proof (a firewall answering the port with
     * resets), so only SWIM decides.
     */
    private void expire(Duration ttl) {
        for (String id : state.table().expireCrashes(System.nanoTime(), ttl)) {
            watches.distrust(id);
            LOG.warn("Crash verdict not confirmed by SWIM within {} ms: member alive again, crash watch off for it"
                    + " member={}", ttl.toMillis(), state.table().nameOf(id));
            changed.accept("change=member-crash-verdict-expired member=" + state.table().nameOf(id));
        }
    }
}
