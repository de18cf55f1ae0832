package io.ferrolb.speaker.membership;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Addresses in scalecube's textual form {@code host:port}, with the host as
 * {@link InetAddress#getHostAddress()} so that peers listed from Pods and member addresses compare
 * equal as strings.
 */
final class Endpoints {

    private Endpoints() {
    }

    static String of(InetAddress address, int port) {
        return address.getHostAddress() + ":" + port;
    }

    static String of(InetSocketAddress address) {
        return address.getAddress() != null
                ? of(address.getAddress(), address.getPort())
                : address.getHostString() + ":" + address.getPort();
    }
}
