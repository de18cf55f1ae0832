package io.ferrolb.speaker.membership;

import io.ferrolb.common.Daemons;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership's listed peers (the speaker Pods' membership endpoints): read once at start for the
 * seeds, again at every maintenance tick while the join gate is closed and every peer-refresh
 * interval once joined; a listed peer missing from the view is sent a sync. Listing may wait on the
 * API server, so it runs on a thread of its own; everything else runs on the membership thread.
 */
final class PeerSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerSync.class);

    private final MembershipSettings settings;
    private final PeerSource source;
    private final JoinState state;
    private final Consumer<Runnable> membershipThread;
    private final Runnable listed;
    private final Supplier<SyncTap> tap;
    private final ExecutorService lookups = Daemons.singleThread("ferrolb-membership-peers");

    /**
     * @param membershipThread runs a task on the membership thread
     * @param listed called on the membership thread after a new list was taken in
     * @param tap the running transport's tap, null before the start
     */
    PeerSync(MembershipSettings settings, PeerSource source, JoinState state, Consumer<Runnable> membershipThread,
            Runnable listed, Supplier<SyncTap> tap) {
        this.settings = settings;
        this.source = source;
        this.state = state;
        this.membershipThread = membershipThread;
        this.listed = listed;
        this.tap = tap;
    }

    /** The peers listed now, for the seeds; none when they cannot be listed (the ticks retry). */
    List<String> listNow() {
        try {
            List<String> peers = source.peers().stream().map(Endpoints::of).toList();
            state.peersResolved(peers);
            return List.copyOf(state.peers());
        } catch (Exception e) {
            LOG.warn("Cannot list the speaker peers at start; starting without seeds node={} error={}",
                    settings.nodeName(), e.toString());
            return List.of();
        }
    }

    /** The periodic tick, on the membership thread. */
    void maintain() {
        if (!state.isJoined() || state.peerRefreshDue(System.nanoTime())) {
            request();
        }
        syncMissing();
    }

    /** Lists the peers again, off the membership thread; on the membership thread. */
    void request() {
        lookups.execute(() -> {
            try {
                List<String> peers = source.peers().stream().map(Endpoints::of).toList();
                membershipThread.accept(() -> {
                    state.peersResolved(peers);
                    syncMissing();
                    listed.run();
                });
            } catch (Exception e) {
                LOG.warn("Cannot list the speaker peers; keeping the previous list node={} error={}",
                        settings.nodeName(), e.toString());
            }
        });
        state.peersRequested(System.nanoTime());
    }

    private void syncMissing() {
        SyncTap current = tap.get();
        if (current == null) {
            return;
        }
        for (String peer : state.missingPeers()) {
            if (!current.sendSync(peer, settings.advertisedEndpoint())) {
                LOG.debug("No sync payload yet; cannot sync with a missing peer peer={}", peer);
                return;
            }
            LOG.debug("Sync with a listed peer missing from the view peer={}", peer);
        }
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }
}
