package io.ferrolb.speaker.membership;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where the other speakers can be reached: the speaker loop implements it by listing the speaker
 * Pods of its own namespace by label selector ({@code status.podIP} + the membership port). The list
 * may contain this speaker itself. It is called from a membership thread of its own, never from
 * scalecube's, every {@link MembershipSettings#rejoinInterval()} until joined and every
 * {@link MembershipSettings#peerRefreshInterval()} after; back it by an informer cache so that it is
 * cheap.
 */
@FunctionalInterface
public interface PeerSource {

    /**
     * The membership endpoints of all speaker Pods.
     *
     * @throws Exception when the list cannot be had now (the previous list is kept)
     */
    List<InetSocketAddress> peers() throws Exception;
}
