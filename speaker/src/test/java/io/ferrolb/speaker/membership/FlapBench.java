package io.ferrolb.speaker.membership;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * False suspicions of several timer profiles under the same CPU saturation: one three-member group
 * per profile (profile k on 127.0.k.11–13), all running at once, then {@code windows} load windows
 * of {@code seconds} each with one BusyLoad process, after {@code warmupSeconds} of quiet; live members removed from or re-added to any
 * view are counted per profile and window. Comparing profiles in separate runs on a shared 2-core
 * machine mixes in whatever else runs at that moment; side by side they see the same load.
 */
final class FlapBench {

    private FlapBench() {
    }

    static String run(List<String> profiles, boolean crashWatch, int windows, int seconds, int threads, int warmupSeconds, Path out)
            throws Exception {
        Map<String, MemberGroup> groups = new LinkedHashMap<>();
        Map<String, Map<String, MemberProcess>> members = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder("| window | loadavg at end |");
        profiles.forEach(p -> report.append(' ').append(p).append(" removals / re-adds |"));
        report.append("\n|---|---|").append("---|".repeat(profiles.size())).append('\n');
        try {
            for (int k = 0; k < profiles.size(); k++) {
                String profile = profiles.get(k);
                String net = "127.0." + (k + 1) + ".";
                MemberGroup group = new MemberGroup(Files.createDirectories(out.resolve("flaps-" + profile)), profile,
                        crashWatch, Map.of("n1", net + "11", "n2", net + "12", "n3", net + "13"));
                groups.put(profile, group);
                Map<String, MemberProcess> started = new LinkedHashMap<>();
                for (String name : List.of("n1", "n2", "n3")) {
                    started.put(name, group.start(name));
                }
                members.put(profile, started);
            }
            for (Map<String, MemberProcess> group : members.values()) {
                MembershipBench.awaitConverged(group);
            }
            // Windows start after a warm-up: a JVM that is still JIT-compiling is starved far worse than a
            // warm one, and that case is measured by window 1 when warmupSeconds is 0.
            Thread.sleep(warmupSeconds * 1000L);
            int[][] totals = new int[profiles.size()][2];
            for (int w = 1; w <= windows; w++) {
                Process load = MembershipBench.startLoad(out, threads, seconds + 30L);
                try {
                    Thread.sleep(2000);
                    long from = System.currentTimeMillis();
                    Thread.sleep(seconds * 1000L);
                    long to = System.currentTimeMillis();
                    List<String> cells = new ArrayList<>();
                    for (int k = 0; k < profiles.size(); k++) {
                        int[] flaps = MembershipBench.flaps(members.get(profiles.get(k)).values(), from, to);
                        totals[k][0] += flaps[0];
                        totals[k][1] += flaps[1];
                        cells.add(flaps[0] + " / " + flaps[1]);
                    }
                    report.append("| ").append(w).append(" | ").append(MembershipBench.loadavg()).append(" | ")
                            .append(String.join(" | ", cells)).append(" |\n");
                    MembershipBench.log("flaps window " + w + ": " + cells);
                } finally {
                    load.destroyForcibly();
                    load.waitFor(10, TimeUnit.SECONDS);
                }
                Thread.sleep(5000); // let the groups re-converge (a removed member comes back) between windows
            }
            report.append("| total | |");
            for (int[] total : totals) {
                report.append(' ').append(total[0]).append(" / ").append(total[1]).append(" |");
            }
            report.append('\n');
            Files.writeString(out.resolve("flaps.md"), report);
            return report.toString();
        } finally {
            groups.values().forEach(MemberGroup::close);
        }
    }
}
