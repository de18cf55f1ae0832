package io.ferrolb.speaker.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The crash watch against real loopback sockets: a peer process that dies, and one that only drops us. */
class CrashWatchTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<String> crashed = new CopyOnWriteArrayList<>();

    /** A peer's membership port: accepts and holds connections until it "dies". */
    static final class Peer implements AutoCloseable {
        final ServerSocket server;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        Peer() throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(LOOPBACK, 0));
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        accepted.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String endpoint() {
            return LOOPBACK.getHostAddress() + ":" + server.getLocalPort();
        }

        void dropConnections() throws IOException {
            for (Socket s : accepted) {
                s.close();
            }
        }

        /** Dies with unread bytes in its sockets: the kernel resets the connections instead of closing them. */
        void dieWithResets() throws IOException {
            for (Socket s : accepted) {
                s.setSoLinger(true, 0);
            }
            close();
        }

        @Override
        public void close() throws IOException {
            server.close();
            // A listener closed under a blocked accept() lives on until that accept returns, and
            // may take one more connection; a dying process has no such window. Drop connections
            // only once the acceptor is gone, so that late one is dropped too.
            try {
                acceptor.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            dropConnections();
        }
    }

    @Test
    void aPeerWhoseProcessDiesIsReportedOnce() throws IOException {
        CrashWatch watch = new CrashWatch(LOOPBACK, Duration.ofSeconds(1), (id, ep) -> crashed.add(id));
        try (Peer peer = new Peer()) {
            watch.watch("m1", peer.endpoint());
            await().atMost(Duration.ofSeconds(5)).until(() -> peer.accepted.size() == 1);
            assertThat(watch.refusesWithoutProof(peer.endpoint())).as("connected").isFalse();
            peer.close(); // what the kernel does when the process dies: listener gone, connections closed
            await().atMost(Duration.ofSeconds(5)).until(() -> crashed.contains("m1"));
            assertThat(crashed).containsExactly("m1");
        } finally {
            watch.close();
        }
    }

    @Test
    void aPeerWhoseDyingSocketsResetIsReportedToo() throws IOException {
        CrashWatch watch = new CrashWatch(LOOPBACK, Duration.ofSeconds(1), (id, ep) -> crashed.add(id));
        try (Peer peer = new Peer()) {
            watch.watch("m1", peer.endpoint());
            await().atMost(Duration.ofSeconds(5)).until(() -> peer.accepted.size() == 1);
            peer.dieWithResets();
            await().atMost(Duration.ofSeconds(5)).until(() -> crashed.contains("m1"));
        } finally {
            watch.close();
        }
    }

    @Test
    void aPeerThatOnlyDropsTheConnectionIsNotACrash() throws IOException {
        CrashWatch watch = new CrashWatch(LOOPBACK, Duration.ofSeconds(1), (id, ep) -> crashed.add(id));
        try (Peer peer = new Peer()) {
            watch.watch("m1", peer.endpoint());
            await().atMost(Duration.ofSeconds(5)).until(() -> peer.accepted.size() == 1);
            peer.dropConnections();
            // The watch reconnects to the live listener: a second connection, and no report.
            await().atMost(Duration.ofSeconds(5)).until(() -> peer.accepted.size() == 2);
            assertThat(crashed).isEmpty();
        } finally {
            watch.close();
        }
    }

    @Test
    void unwatchedMembersAreNotReported() throws IOException {
        CrashWatch watch = new CrashWatch(LOOPBACK, Duration.ofSeconds(1), (id, ep) -> crashed.add(id));
        Peer second;
        try (Peer peer = new Peer()) {
            watch.watch("m1", peer.endpoint());
            await().atMost(Duration.ofSeconds(5)).until(() -> peer.accepted.size() == 1);
            watch.unwatch("m1");
            second = new Peer();
            watch.watch("m2", second.endpoint());
            peer.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> second.accepted.size() == 1);
            second.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> crashed.contains("m2"));
            assertThat(crashed).containsExactly("m2");
        } finally {
            watch.close();
        }
    }

    @Test
    void aResetFromThePeerEndsTheConnectionButOurOwnAbortDoesNot() {
        assertThat(CrashWatch.resetByPeer(new java.net.SocketException("Connection reset"))).isTrue();
        assertThat(CrashWatch.resetByPeer(new java.net.SocketException("Software caused connection abort"))).isFalse();
        assertThat(CrashWatch.resetByPeer(new SocketTimeoutException("Read timed out"))).isFalse();
        assertThat(CrashWatch.resetByPeer(new java.net.SocketException("Socket closed"))).isFalse();
    }

    @Test
    void onlyARefusalIsProof() {
        assertThat(CrashWatch.refused(new ConnectException("Connection refused"))).isTrue();
        assertThat(CrashWatch.refused(new ConnectException("Connection timed out"))).isFalse();
        assertThat(CrashWatch.refused(new SocketTimeoutException("connect timed out"))).isFalse();
        assertThat(CrashWatch.refused(new NoRouteToHostException("No route to host"))).isFalse();
    }

    @Test
    void aRefusalWithoutAnEndedConnectionIsNotProof() throws IOException {
        // A port that rejects us from the first attempt (a firewall answering with resets, or a
        // member we never reached) says nothing about the peer's process: SWIM decides.
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = s.getLocalPort();
        }
        CrashWatch watch = new CrashWatch(LOOPBACK, Duration.ofSeconds(1), (id, ep) -> crashed.add(id));
        String endpoint = LOOPBACK.getHostAddress() + ":" + closedPort;
        try {
            watch.watch("m1", endpoint);
            await().atMost(Duration.ofSeconds(10)).until(() -> watch.inconclusiveRefusals() >= 2);
            assertThat(crashed).isEmpty();
            assertThat(watch.refusesWithoutProof(endpoint)).as("what the membership tells scalecube").isTrue();
            assertThat(watch.refusesWithoutProof(LOOPBACK.getHostAddress() + ":1")).as("not watched").isFalse();
        } finally {
            watch.close();
        }
    }
}
