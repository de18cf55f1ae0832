package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import io.ferrolb.speaker.wire.packet.NdpPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership of the solicited-node groups of owned IPv6 addresses. A capture that is not
 * promiscuous receives only the multicast frames the NIC was told to accept, and solicitations for
 * an address the kernel does not have go to a group nobody joined. Joining through an IPv6 socket
 * (as MetalLB does) programs the NIC's multicast filter and sends the MLD report that snooping
 * switches need; the kernel drops the membership when the socket closes, even if the JVM dies.
 * Several addresses may share a group (same low 24 bits): the key set counts it once.
 */
final class MulticastGroups implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MulticastGroups.class);

    private record Key(String iface, IpAddress group) {
    }

    private final Map<String, DatagramChannel> channels = new HashMap<>();
    private final Map<Key, MembershipKey> joined = new HashMap<>();

    /** Joins and leaves so that exactly the groups of {@code owned} addresses on their interfaces are joined. */
    synchronized void sync(Ownership owned, Iterable<Responder.Port> ports) {
        Set<Key> wanted = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Responder.Port port : ports) {
            names.add(port.name());
            if (port.linkLocal().isEmpty()) {
                continue;
            }
            for (IpAddress ip : owned.addresses()) {
                if (ip.family() == IpFamily.IPV6 && owned.owns(ip, port.name())) {
                    wanted.add(new Key(port.name(), NdpPacket.solicitedNode(ip)));
                }
            }
        }
        joined.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) {
                return false;
            }
            e.getValue().drop();
            LOG.debug("left group={} interface={}", e.getKey().group(), e.getKey().iface());
            return true;
        });
        for (Key key : wanted) {
            if (!joined.containsKey(key)) {
                join(key);
            }
        }
        channels.entrySet().removeIf(e -> {
            if (names.contains(e.getKey()) && joined.keySet().stream().anyMatch(k -> k.iface().equals(e.getKey()))) {
                return false;
            }
            closeQuietly(e.getValue());
            return true;
        });
    }

    private void join(Key key) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(key.iface());
            if (nif == null) {
                return;
            }
            DatagramChannel channel = channels.get(key.iface());
            if (channel == null) {
                channel = DatagramChannel.open(StandardProtocolFamily.INET6);
                channels.put(key.iface(), channel);
            }
            joined.put(key, channel.join(InetAddress.getByAddress(key.group().toBytes()), nif));
            LOG.debug("joined group={} interface={}", key.group(), key.iface());
        } catch (IOException | UnsupportedOperationException | IllegalStateException e) {
            LOG.warn("cannot join solicited-node group={} interface={} error={}; IPv6 solicitations for it may "
                    + "not arrive", key.group(), key.iface(), e.toString());
        }
    }

    @Override
    public synchronized void close() {
        joined.values().forEach(MembershipKey::drop);
        joined.clear();
        channels.values().forEach(MulticastGroups::closeQuietly);
        channels.clear();
    }

    private static void closeQuietly(DatagramChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing a multicast channel: {}", e.toString());
        }
    }
}
