package io.ferrolb.speaker.handoff;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.List;
import java.util.Locale;

/** One virtual service of the IPVS handoff and the ipvsadm commands that make it. */
record IpvsService(IpAddress vip, String protocol, int port, IpAddress nodeIp, int nodePort) {

    IpvsService {
        protocol = protocol.toLowerCase(Locale.ROOT);
    }

    /** ipvsadm's flag for the protocol. */
    static String flag(String protocol) {
        return switch (protocol.toLowerCase(Locale.ROOT)) {
            case "udp" -> "-u";
            case "sctp" -> "--sctp-service";
            default -> "-t";
        };
    }

    /** {@code addr:port}, IPv6 in brackets, as ipvsadm prints and reads it. */
    static String endpoint(IpAddress ip, int port) {
        return (ip.family() == IpFamily.IPV4 ? ip.toString() : "[" + ip + "]") + ":" + port;
    }

    String key() {
        return flag(protocol) + " " + endpoint(vip, port);
    }

    String real() {
        return endpoint(nodeIp, nodePort);
    }

    List<String> addVirtual() {
        return List.of("ipvsadm", "-A", flag(protocol), endpoint(vip, port), "-s", "rr");
    }

    List<String> addReal() {
        return List.of("ipvsadm", "-a", flag(protocol), endpoint(vip, port), "-r", real(), "-m", "-w", "1");
    }

    List<String> deleteReal(String realEndpoint) {
        return List.of("ipvsadm", "-d", flag(protocol), endpoint(vip, port), "-r", realEndpoint);
    }
}
