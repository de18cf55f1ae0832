package io.ferrolb.speaker.wire.packet;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.Optional;

/**
 * The two ICMPv6 Neighbor Discovery messages of RFC 4861 §4.3 and §4.4 that the wire handles,
 * with the one option each carries here: the source (solicitation) or target (advertisement)
 * link-layer address.
 */
public sealed interface NdpMessage {

    /** ICMPv6 type of a Neighbor Solicitation. */
    int SOLICITATION = 135;
    /** ICMPv6 type of a Neighbor Advertisement. */
    int ADVERTISEMENT = 136;

    /** The address being resolved or advertised. */
    IpAddress target();

    /** "Who has {@code target}?", with the asker's link-layer address when it gave one. */
    record NeighborSolicitation(IpAddress target, Optional<Mac> sourceLinkAddress) implements NdpMessage {
        public NeighborSolicitation {
            requireV6(target);
        }
    }

    /**
     * "{@code target} is at {@code targetLinkAddress}". Solicited answers a solicitation; Override
     * tells receivers to replace a cached address (RFC 4861 §7.2.5).
     */
    record NeighborAdvertisement(boolean router, boolean solicited, boolean override, IpAddress target,
            Optional<Mac> targetLinkAddress) implements NdpMessage {
        public NeighborAdvertisement {
            requireV6(target);
        }
    }

    private static void requireV6(IpAddress ip) {
        if (ip.family() != IpFamily.IPV6) {
            throw new IllegalArgumentException("Neighbor Discovery targets are IPv6 addresses: " + ip);
        }
    }
}
