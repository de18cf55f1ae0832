package io.ferrolb.speaker.handoff;

import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the kernel's IPVS table ({@code ipvsadm -S -n}) and a device's addresses ({@code ip -o addr}). */
final class IpvsState {

    /** A virtual service and its real servers, as saved. */
    record Virtual(String protocolFlag, String endpoint, IpAddress vip, List<String> reals) {
        String key() {
            return protocolFlag + " " + endpoint;
        }
    }

    private IpvsState() {
    }

    /** The kernel's virtual services; throws when they cannot be read (acting on "none" would be wrong). */
    static Map<String, Virtual> virtuals(CommandRunner runner) {
        return parseVirtuals(read(runner, List.of("ipvsadm", "-S", "-n")));
    }

    /** The device's addresses; throws when they cannot be read. */
    static Set<IpAddress> addresses(CommandRunner runner, String device) {
        return parseAddresses(read(runner, List.of("ip", "-o", "addr", "show", "dev", device)));
    }

    private static String read(CommandRunner runner, List<String> argv) {
        CommandRunner.Result r = runner.run(argv);
        if (!r.ok()) {
            throw new HandoffException("\"" + String.join(" ", argv) + "\" failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip());
        }
        return r.stdout();
    }

    static Map<String, Virtual> parseVirtuals(String save) {
        Map<String, Virtual> out = new LinkedHashMap<>();
        for (String line : save.split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (t.length < 3) {
                continue;
            }
            String key = t[1] + " " + t[2];
            if (t[0].equals("-A")) {
                out.put(key, new Virtual(t[1], t[2], host(t[2]), new ArrayList<>()));
            } else if (t[0].equals("-a") && out.containsKey(key)) {
                for (int i = 3; i + 1 < t.length; i++) {
                    if (t[i].equals("-r")) {
                        out.get(key).reals().add(t[i + 1]);
                    }
                }
            }
        }
        return out;
    }

    static Set<IpAddress> parseAddresses(String ipAddrOutput) {
        Set<IpAddress> out = new LinkedHashSet<>();
        for (String line : ipAddrOutput.split("\n")) {
            if (line.contains(" scope link")) {
                continue; // the kernel's own link-local address, never one of our VIPs
            }
            String[] t = line.strip().split("\\s+");
            for (int i = 0; i + 1 < t.length; i++) {
                if ((t[i].equals("inet") || t[i].equals("inet6")) && t[i + 1].contains("/")) {
                    out.add(IpAddress.parse(t[i + 1].substring(0, t[i + 1].indexOf('/'))));
                }
            }
        }
        return out;
    }

    private static IpAddress host(String endpoint) {
        String host = endpoint.substring(0, endpoint.lastIndexOf(':')).replace("[", "").replace("]", "");
        return IpAddress.parse(host);
    }
}
