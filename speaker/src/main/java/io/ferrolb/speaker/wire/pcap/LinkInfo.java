package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.wire.packet.Mac;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** What the wire needs to know of a link: its MAC (sysfs) and IPv6 link-local address (the JDK). */
final class LinkInfo {

    private LinkInfo() {
    }

    /** The interface as the responder sees it; empty if it has no Ethernet address. */
    static Optional<Responder.Port> read(Path sysClassNet, String name) {
        Optional<Mac> mac = mac(sysClassNet.resolve(name));
        return mac.map(m -> new Responder.Port(name, m, linkLocal(name)));
    }

    /** Every non-zero MAC of the node, so that frames we sent never look foreign. */
    static Set<Mac> allMacs(Path sysClassNet) {
        Set<Mac> out = new HashSet<>();
        try (Stream<Path> links = Files.list(sysClassNet)) {
            links.forEach(l -> mac(l).filter(m -> m.bits() != 0).ifPresent(out::add));
        } catch (IOException e) {
            return Set.of();
        }
        return out;
    }

    private static Optional<Mac> mac(Path link) {
        try {
            String text = Files.readString(link.resolve("address")).strip();
            return text.length() == 17 ? Optional.of(Mac.parse(text)) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<IpAddress> linkLocal(String name) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(name);
            if (nif == null) {
                return Optional.empty();
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
                    byte[] b = v6.getAddress();
                    long hi = 0;
                    long lo = 0;
                    for (int i = 0; i < 8; i++) {
                        hi = (hi << 8) | (b[i] & 0xFF);
                        lo = (lo << 8) | (b[i + 8] & 0xFF);
                    }
                    return Optional.of(IpAddress.ofV6(hi, lo));
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
