package io.ferrolb.speaker.membership;

import io.scalecube.cluster.ClusterImpl;
import io.scalecube.cluster.ClusterMessageHandler;
import io.scalecube.cluster.transport.api.MessageCodec;
import java.util.List;

/** Turns {@link MembershipSettings} into a configured (not started) scalecube cluster. */
final class ClusterBuilder {

    /** Separates ferrolb's group from any other scalecube application that might share the network. */
    static final String NAMESPACE = "ferrolb-speakers";

    private ClusterBuilder() {
    }

    static ClusterImpl build(MembershipSettings settings, MessageCodec codec, BoundTcpTransportFactory transports,
            List<String> seeds, ClusterMessageHandler handler) {
        SwimTimers t = settings.timers();
        return new ClusterImpl()
                .config(c -> c.memberAlias(settings.nodeName())
                        // Without these scalecube advertises InetAddress.getLocalHost() (pitfall 3).
                        .externalHost(settings.advertiseAddress().getHostAddress())
                        .externalPort(settings.port())
                        .metadataTimeout(millis(t.metadataTimeout().toMillis())))
                .transport(tc -> tc.port(settings.port())
                        .connectTimeout(millis(t.connectTimeout().toMillis()))
                        .messageCodec(codec)
                        .transportFactory(transports))
                .failureDetector(fd -> fd.pingInterval(millis(t.pingInterval().toMillis()))
                        .pingTimeout(millis(t.pingTimeout().toMillis()))
                        .pingReqMembers(t.pingReqMembers()))
                .gossip(g -> g.gossipInterval(t.gossipInterval().toMillis())
                        .gossipFanout(t.gossipFanout())
                        .gossipRepeatMult(t.gossipRepeatMult()))
                .membership(m -> m.seedMembers(seeds)
                        .namespace(NAMESPACE)
                        .suspicionMult(t.suspicionMult())
                        .syncInterval(millis(t.syncInterval().toMillis()))
                        .syncTimeout(millis(t.syncTimeout().toMillis())))
                .handler(cluster -> handler);
    }

    private static int millis(long value) {
        return Math.toIntExact(value);
    }
}
