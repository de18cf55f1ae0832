package io.ferrolb.speaker.membership;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.scalecube.cluster.transport.api.Message;
import io.scalecube.cluster.transport.api.Transport;
import io.scalecube.cluster.transport.api.TransportConfig;
import io.scalecube.cluster.transport.api.TransportFactory;
import io.scalecube.transport.netty.Receiver;
import io.scalecube.transport.netty.Sender;
import io.scalecube.transport.netty.TransportImpl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * scalecube's TCP transport, but listening on one address instead of the wildcard (scalecube's own
 * receiver binds {@code 0.0.0.0}, which would also expose the port on every other interface and
 * would not let two members share a port on different addresses), and connecting from that address.
 * Frames are length-prefixed (4 bytes) as in scalecube's TCP transport. Each transport it creates is
 * wrapped in a {@link SyncTap}.
 */
final class BoundTcpTransportFactory implements TransportFactory {

    private static final int LENGTH_BYTES = 4;

    private final InetAddress bindAddress;
    private final Consumer<SyncTap> created;

    /** {@code created} receives the tap of each transport (one per cluster start). */
    BoundTcpTransportFactory(InetAddress bindAddress, Consumer<SyncTap> created) {
        this.bindAddress = bindAddress;
        this.created = created;
    }

    @Override
    public Transport createTransport(TransportConfig config) {
        OutboundConnections outbound = new OutboundConnections();
        TransportImpl transport = new TransportImpl(config.messageCodec(), new BoundReceiver(bindAddress, config),
                new BoundSender(bindAddress, config, outbound), config.addressMapper());
        SyncTap tap = new SyncTap(transport, outbound);
        created.accept(tap);
        return tap;
    }

    private static void frame(Channel channel, int maxFrameLength) {
        channel.pipeline().addFirst(new LengthFieldBasedFrameDecoder(maxFrameLength, 0, LENGTH_BYTES, 0, LENGTH_BYTES));
        channel.pipeline().addFirst(new LengthFieldPrepender(LENGTH_BYTES));
    }

    private record BoundReceiver(InetAddress bindAddress, TransportConfig config) implements Receiver {

        @Override
        public Mono<DisposableServer> bind() {
            return Mono.deferContextual(context -> {
                TransportImpl.ReceiverContext receiver = context.get(TransportImpl.ReceiverContext.class);
                return TcpServer.create()
                        .runOn(receiver.loopResources())
                        .bindAddress(() -> new InetSocketAddress(bindAddress, config.port()))
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childOption(ChannelOption.SO_KEEPALIVE, true)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .doOnChannelInit((observer, channel, remote) -> frame(channel, config.maxFrameLength()))
                        .handle((in, out) -> in.receive().retain().doOnNext(receiver::onMessage).then())
                        .bind()
                        .cast(DisposableServer.class);
            });
        }
    }

    private record BoundSender(InetAddress bindAddress, TransportConfig config, OutboundConnections outbound)
            implements Sender {

        @Override
        public Mono<Connection> connect(String address) {
            return Mono.deferContextual(context -> {
                TransportImpl.SenderContext sender = context.get(TransportImpl.SenderContext.class);
                TcpClient client = TcpClient.newConnection()
                        .runOn(sender.loopResources())
                        .host(Transport.parseHost(address))
                        .port(Transport.parsePort(address))
                        .option(ChannelOption.TCP_NODELAY, true)
                        .option(ChannelOption.SO_KEEPALIVE, true)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeout())
                        .doOnChannelInit((observer, channel, remote) -> frame(channel, config.maxFrameLength()));
                if (!bindAddress.isAnyLocalAddress()) {
                    // Peers see the host IP as source, not whatever the routing table would pick.
                    client = client.bindAddress(() -> new InetSocketAddress(bindAddress, 0));
                }
                return client.connect().doOnNext(connection -> outbound.opened(address, connection));
            });
        }

        @Override
        public Mono<Void> send(Message message) {
            return Mono.deferContextual(context -> {
                Connection connection = context.get(Connection.class);
                TransportImpl.SenderContext sender = context.get(TransportImpl.SenderContext.class);
                return connection.outbound()
                        .sendObject(Mono.just(message).map(sender.messageEncoder()), frame -> true)
                        .then();
            });
        }
    }
}
