package io.ferrolb.speaker.handoff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A hand-written stand-in for {@code ip} (links and addresses) and {@code ipvsadm}, enough for the
 * IPVS handoff: keeps devices, their addresses and the virtual service table, prints them as the
 * real tools do, and records every mutating command.
 */
final class FakeIpvs implements CommandRunner {

    final List<String> mutations = new ArrayList<>();
    final Map<String, Set<String>> devices = new LinkedHashMap<>();
    /** "-t 198.18.10.200:80" to its real servers. */
    final Map<String, Set<String>> virtuals = new LinkedHashMap<>();

    @Override
    public Result run(List<String> argv) {
        String line = String.join(" ", argv);
        if (argv.get(0).equals("ipvsadm")) {
            return ipvsadm(argv, line);
        }
        if (line.startsWith("ip link show dev ")) {
            return devices.containsKey(argv.get(4)) ? ok("") : new Result(1, "", "Device does not exist.");
        }
        if (line.startsWith("ip -o addr show dev ")) {
            Set<String> addrs = devices.get(argv.get(5));
            if (addrs == null) {
                return new Result(1, "", "Device does not exist.");
            }
            StringBuilder out = new StringBuilder();
            addrs.forEach(a -> out.append("7: ").append(argv.get(5)).append(a.contains(":") ? "    inet6 " : "    inet ")
                    .append(a).append(" scope global \\       valid_lft forever preferred_lft forever\n"));
            return ok(out.toString());
        }
        mutations.add(line);
        if (line.startsWith("ip link add ")) {
            devices.put(argv.get(3), new LinkedHashSet<>());
        } else if (line.startsWith("ip link del ")) {
            devices.remove(argv.get(3));
        } else if (argv.get(2).equals("addr")) {
            Set<String> addrs = devices.get(argv.get(6));
            boolean changed = argv.get(3).equals("add") ? addrs.add(argv.get(4)) : addrs.remove(argv.get(4));
            return changed ? ok("") : new Result(2, "", "RTNETLINK answers: File exists");
        }
        return ok("");
    }

    private Result ipvsadm(List<String> argv, String line) {
        if (argv.get(1).equals("-S")) {
            StringBuilder out = new StringBuilder();
            virtuals.forEach((v, reals) -> {
                out.append("-A ").append(v).append(" -s rr\n");
                reals.forEach(r -> out.append("-a ").append(v).append(" -r ").append(r).append(" -m -w 1\n"));
            });
            return ok(out.toString());
        }
        mutations.add(line);
        String key = argv.get(2) + " " + argv.get(3);
        switch (argv.get(1)) {
            case "-A" -> virtuals.put(key, new LinkedHashSet<>());
            case "-D" -> virtuals.remove(key);
            case "-a" -> virtuals.get(key).add(argv.get(5));
            case "-d" -> virtuals.get(key).remove(argv.get(5));
            default -> throw new IllegalArgumentException(line);
        }
        return ok("");
    }

    private static Result ok(String out) {
        return new Result(0, out, "");
    }
}
