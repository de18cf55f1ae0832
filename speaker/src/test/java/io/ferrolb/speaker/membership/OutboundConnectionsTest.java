package io.ferrolb.speaker.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/** Real loopback connections: closing a dead member's address ends exactly its connections. */
class OutboundConnectionsTest {

    private final List<Connection> serverSide = new CopyOnWriteArrayList<>();
    private final DisposableServer dead = server();
    private final DisposableServer alive = server();
    private final OutboundConnections outbound = new OutboundConnections();

    private DisposableServer server() {
        return TcpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(serverSide::add)
                .handle((in, out) -> in.receive().then())
                .bindNow();
    }

    @AfterEach
    void stop() {
        dead.disposeNow();
        alive.disposeNow();
    }

    private Connection connect(DisposableServer server) {
        String address = "127.0.0.1:" + server.port();
        Connection c = TcpClient.newConnection().host("127.0.0.1").port(server.port()).connectNow();
        outbound.opened(address, c);
        return c;
    }

    @Test
    void closesOnlyTheConnectionsToTheGivenAddress() {
        Connection first = connect(dead);
        Connection second = connect(dead);
        Connection other = connect(alive);

        int closed = outbound.close("127.0.0.1:" + dead.port());

        assertThat(closed).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.isDisposed() && second.isDisposed());
        assertThat(other.isDisposed()).isFalse();
        assertThat(outbound.open("127.0.0.1:" + alive.port())).isEqualTo(1);
        assertThat(outbound.close("127.0.0.1:" + dead.port())).isZero();
        other.disposeNow();
    }

    @Test
    void forgetsAConnectionThatEndsOnItsOwn() {
        Connection c = connect(alive);
        c.disposeNow();
        await().atMost(Duration.ofSeconds(5)).until(() -> outbound.open("127.0.0.1:" + alive.port()) == 0);
    }
}
