package io.ferrolb.speaker;

import io.ferrolb.speaker.kube.ClusterView;
import io.ferrolb.speaker.membership.Membership;
import io.ferrolb.speaker.membership.MembershipSettings;
import io.ferrolb.speaker.membership.MembershipView;
import io.ferrolb.speaker.membership.MessageSealer;
import io.ferrolb.speaker.membership.SwimTimers;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches the speaker's membership of the gossip group off and on again: a node with no
 * link to announce on leaves ({@link #leave()}) and joins anew when a link is back ({@link #join()});
 * a left scalecube cluster cannot be restarted, so every join is a fresh {@link Membership}. While
 * out, the view holds only this node and is not joined, so the loop announces nothing.
 */
final class MembershipSwitch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipSwitch.class);

    private final String node;
    private final MembershipSettings settings;
    private final MessageSealer sealer;
    private final ClusterView cluster;
    private final int port;
    private final Runnable changed;
    private volatile Membership current;
    /** Notified at every view change, for {@link #awaitJoined}. */
    private final Object gate = new Object();

    MembershipSwitch(SpeakerOptions options, ClusterView cluster, Runnable changed) throws IOException {
        this.node = options.nodeName();
        this.settings = MembershipSettings.defaults(node, InetAddress.getByName(options.membershipBindAddress()))
                .withPort(options.membershipPort()).withJoinDeadline(options.joinDeadline())
                .withTimers(SwimTimers.named(options.failureDetector())).withCrashWatch(options.crashWatch());
        if (options.secretKeyFile() == null) {
            throw new IllegalStateException("membership needs the memberlist secret (--ml-secret-key-path)");
        }
        this.sealer = MessageSealer.fromSecretFile(options.secretKeyFile());
        this.cluster = cluster;
        this.port = options.membershipPort();
        this.changed = changed;
    }

    /** Starts a new membership unless one runs. */
    synchronized void join() {
        if (current != null) {
            return;
        }
        Membership m = new Membership(settings, sealer, () -> cluster.speakerEndpoints(port), v -> viewChanged());
        current = m;
        try {
            m.start();
        } catch (RuntimeException e) {
            current = null;
            m.close();
            throw e;
        }
        LOG.info("membership joined node={}", node);
        changed.run();
    }

    /** Leaves the group; the view says "alone, not joined" until the next {@link #join()}. */
    synchronized void leave() {
        Membership m = current;
        current = null;
        try {
            changed.run();
        } finally {
            if (m != null) {
                m.close();
                LOG.info("membership left node={}", node);
            }
        }
    }

    private void viewChanged() {
        synchronized (gate) {
            gate.notifyAll();
        }
        changed.run();
    }

    /** Waits until the join gate has opened (docs/design.md §4.5); false when {@code timeout} ran out first. */
    boolean awaitJoined(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (gate) {
            while (!view().joined()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(gate, left);
            }
        }
        return true;
    }

    MembershipView view() {
        Membership m = current;
        return m == null ? new MembershipView(Set.of(node), false) : m.view();
    }

    @Override
    public void close() {
        leave();
    }
}
