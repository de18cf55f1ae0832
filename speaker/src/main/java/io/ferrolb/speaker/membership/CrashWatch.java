package io.ferrolb.speaker.membership;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sub-second detection of a crashed speaker on a live node, the common failure (OOM kill, a bug,
 * {@code kill -9}, a container restart). Each member's membership port gets one idle TCP connection
 * from us. When the peer's process dies its kernel closes that connection at once; we then connect
 * again, and a refused connection proves no process listens there any more: the member is reported
 * crashed without waiting for SWIM's suspicion timeout. Anything that is not a refusal (a timeout,
 * an unreachable host, a partition, a stalled JVM whose sockets stay open) proves nothing and is
 * left to SWIM, so this only ever speeds up a removal SWIM would make anyway.
 *
 * <p>A refusal is proof only on the reconnect right after the peer's kernel ended an established
 * watch connection (end of stream, or a reset: a process killed before it accepted the connection,
 * or whose socket still held unread bytes), then nothing listened. A refusal with any other history
 * (a connection aborted by our own stack, a timeout, a member we never reached, a port that a
 * firewall rejects from the start) is inconclusive and retried; the membership also bounds any
 * verdict that SWIM does not confirm (docs/design.md §4.6).
 */
final class CrashWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CrashWatch.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration MIN_CONNECTION = Duration.ofMillis(100);

    /** Told once per member id, on a watch thread. */
    @FunctionalInterface
    interface Listener {
        void crashed(String id, String endpoint);
    }

    private final InetAddress bindAddress;
    private final Duration connectTimeout;
    private final Listener listener;
    private final Map<String, Watcher> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger inconclusiveRefusals = new AtomicInteger();
    private volatile boolean closed;

    CrashWatch(InetAddress bindAddress, Duration connectTimeout, Listener listener) {
        this.bindAddress = bindAddress;
        this.connectTimeout = connectTimeout;
        this.listener = listener;
    }

    /** Starts watching a member's {@code host:port} unless it is watched already. */
    void watch(String id, String endpoint) {
        if (closed) {
            return;
        }
        watchers.computeIfAbsent(id, k -> {
            Watcher w = new Watcher(id, endpoint);
            Thread t = new Thread(w, "crash-watch-" + endpoint);
            t.setDaemon(true);
            t.start();
            return w;
        });
    }

    void unwatch(String id) {
        Watcher w = watchers.remove(id);
        if (w != null) {
            w.stop();
        }
    }

    @Override
    public void close() {
        closed = true;
        watchers.keySet().forEach(this::unwatch);
    }

    /**
     * Whether the member's port refused our last connection though no established one had just
     * ended: a firewall rejecting us, most likely, with the member alive behind it. Safe from any thread.
     */
    boolean refusesWithoutProof(String endpoint) {
        return watchers.values().stream().anyMatch(w -> w.endpoint.equals(endpoint) && w.refusing);
    }

    /** Whether a read failed because the peer reset the connection (not our own stack aborting it). */
    static boolean resetByPeer(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase();
        return m.contains("connection reset") && !m.contains("abort");
    }

    /**
     * What the watch of an endpoint knows, for the log of a removal it leaves in doubt: whether it is
     * connected, how its last connection ended or its last attempt failed, and when.
     */
    String describe(String endpoint) {
        return watchers.values().stream().filter(w -> w.endpoint.equals(endpoint)).map(Watcher::describe)
                .reduce((a, b) -> a + "; " + b).orElse("not watched");
    }

    /** Refusals that were not taken as proof, because no established connection had just ended. */
    int inconclusiveRefusals() {
        return inconclusiveRefusals.get();
    }

    /** Whether the failure of a connect is proof that nothing listens: the peer refused it. */
    static boolean refused(IOException e) {
        return e instanceof ConnectException && e.getMessage() != null
                && e.getMessage().toLowerCase().contains("refused");
    }

    private final class Watcher implements Runnable {
        private final String id;
        private final String endpoint;
        private volatile boolean stopped;
        private volatile boolean refusing;
        private volatile Socket socket;
        /** For {@link #describe()}: connections made, since when the current one is up (0: none), the last event. */
        private volatile int connections;
        private volatile long connectedAt;
        private volatile String lastEvent = "none";
        private volatile long lastEventAt;

        Watcher(String id, String endpoint) {
            this.id = id;
            this.endpoint = endpoint;
        }

        @Override
        public void run() {
            InetSocketAddress target;
            try {
                int colon = endpoint.lastIndexOf(':');
                target = new InetSocketAddress(InetAddress.getByName(endpoint.substring(0, colon)),
                        Integer.parseInt(endpoint.substring(colon + 1)));
            } catch (IOException | RuntimeException e) {
                LOG.debug("not watching endpoint={} error={}", endpoint, e.toString());
                return;
            }
            // Whether the previous connection was established and has just ended: only then does
            // a refusal prove that the process behind the port died.
            boolean justEnded = false;
            while (!stopped) {
                Socket s = new Socket();
                socket = s;
                try {
                    s.bind(new InetSocketAddress(bindAddress, 0));
                    s.connect(target, (int) connectTimeout.toMillis());
                } catch (IOException e) {
                    closeQuietly(s);
                    if (stopped) {
                        return;
                    }
                    event("connect failed: " + e.getMessage());
                    if (refused(e) && justEnded) {
                        LOG.info("member crashed: its membership port refuses connections member={} endpoint={}",
                                id, endpoint);
                        watchers.remove(id, this);
                        listener.crashed(id, endpoint);
                        return;
                    }
                    refusing = refused(e);
                    if (refusing) {
                        inconclusiveRefusals.incrementAndGet();
                    }
                    LOG.debug("crash watch inconclusive endpoint={} error={}", endpoint, e.toString());
                    justEnded = false;
                    sleep(RETRY);
                    continue;
                }
                refusing = false;
                long opened = System.nanoTime();
                connections++;
                connectedAt = opened;
                try {
                    drain(s.getInputStream());
                    // End of stream: the peer's kernel closed the connection, as it does for every
                    // socket of a process that dies.
                    justEnded = !stopped;
                    event("ended by the peer");
                } catch (IOException e) {
                    // A reset from the peer's kernel also ends the connection of a dying process:
                    // one killed before it accepted it (a speaker killed right after its start),
                    // or whose socket held unread bytes. An abort by our own stack or a timeout
                    // says nothing about the peer.
                    justEnded = !stopped && resetByPeer(e);
                    event("broken: " + e.getMessage());
                    LOG.debug("crash watch connection broken endpoint={} error={}", endpoint, e.toString());
                } finally {
                    connectedAt = 0;
                    closeQuietly(s);
                }
                // The connection ended: connect again at once, which tells why. A peer that closes
                // new connections at once would make this spin, hence the floor.
                if (System.nanoTime() - opened < MIN_CONNECTION.toNanos()) {
                    sleep(MIN_CONNECTION);
                }
            }
        }

        private void event(String what) {
            lastEvent = what;
            lastEventAt = System.nanoTime();
        }

        String describe() {
            long now = System.nanoTime();
            long up = connectedAt;
            String last = lastEventAt == 0 ? lastEvent
                    : lastEvent + " " + (now - lastEventAt) / 1_000_000 + " ms ago";
            return (up != 0 ? "connected for " + (now - up) / 1_000_000 + " ms" : "not connected")
                    + ", connections=" + connections + ", last=" + last;
        }

        /** Reads until the connection ends; the peer never sends anything on it. */
        private void drain(InputStream in) throws IOException {
            byte[] buf = new byte[512];
            while (!stopped && in.read(buf) >= 0) {
                // discard
            }
        }

        void stop() {
            stopped = true;
            Socket s = socket;
            if (s != null) {
                closeQuietly(s);
            }
        }

        private void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing only releases the socket or unblocks the reader
            }
        }

        private void sleep(Duration d) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }
}
