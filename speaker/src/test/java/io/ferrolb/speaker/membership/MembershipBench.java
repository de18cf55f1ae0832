package io.ferrolb.speaker.membership;

import io.ferrolb.speaker.membership.MemberProcess.ViewLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Measures the membership timers with three member JVMs on 127.0.0.11–13 (not a test: run it by
 * hand, see docs/benchmarks.md). Per failure detector (the speaker's {@code --failure-detector} names,
 * plus MemberMain's experimental t100/t150/t200), SWIM alone ({@code crashWatch=false} unless
 * given, since the crash watch would answer every kill -9 first): {@code runs} × kill -9 of n3 and {@code runs} × SIGTERM
 * of n3 (time until both survivors' views drop it, n3 restarted and the group re-converged between
 * runs), then {@code loadSeconds} with a separate BusyLoad process of {@code loadThreads} spinning
 * threads, counting live members removed from or re-added to any view (false suspicions), then
 * {@code loadKills} × kill -9 while the load still runs. With {@code mode=flaps}, {@link FlapBench}
 * instead runs every failure detector side by side under the same load. {@code postLeaveKills} × kill -9 run after the
 * SIGTERM runs, before the load.
 *
 * <p>{@code java -cp <test classpath> io.ferrolb.speaker.membership.MembershipBench
 * failureDetectors=scalecube-defaults,ferrolb,aggressive runs=10 postLeaveKills=5 loadSeconds=60 loadThreads=4 loadKills=5
 * out=target/membership-bench}
 */
public final class MembershipBench {

    private static final Set<String> ALL = Set.of("n1", "n2", "n3");
    private static final String VICTIM = "n3";

    private record Result(String profile, List<Long> kill, List<Long> term, List<Long> killAfterLeaves,
            List<Long> loadKill, int falseRemovals, int falseReAdds, String loadBefore, String loadDuring) {
    }

    /** One measurement that may be interrupted. */
    private interface Run {
        long measure() throws InterruptedException;
    }

    private MembershipBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        Arrays.stream(args).map(a -> a.split("=", 2)).forEach(kv -> opts.put(kv[0], kv[1]));
        List<String> profiles = List.of(opts.getOrDefault("failureDetectors", "scalecube-defaults,ferrolb,aggressive")
                .split(","));
        boolean crashWatch = Boolean.parseBoolean(opts.getOrDefault("crashWatch", "false"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "10"));
        int loadSeconds = Integer.parseInt(opts.getOrDefault("loadSeconds", "60"));
        int loadThreads = Integer.parseInt(opts.getOrDefault("loadThreads", "4"));
        int loadKills = Integer.parseInt(opts.getOrDefault("loadKills", "5"));
        int postLeaveKills = Integer.parseInt(opts.getOrDefault("postLeaveKills", "5"));
        Path out = Files.createDirectories(Path.of(opts.getOrDefault("out", "target/membership-bench")));

        if ("flaps".equals(opts.get("mode"))) {
            int windows = Integer.parseInt(opts.getOrDefault("windows", "3"));
            int warmup = Integer.parseInt(opts.getOrDefault("warmupSeconds", "0"));
            System.out.println(FlapBench.run(profiles, crashWatch, windows, loadSeconds, loadThreads, warmup, out));
            return;
        }
        List<Result> results = new ArrayList<>();
        for (String profile : profiles) {
            Result result = runProfile(profile, crashWatch, out.resolve(profile), runs, postLeaveKills, loadSeconds,
                    loadThreads,
                    loadKills);
            results.add(result);
            System.out.println(row(result));
        }
        StringBuilder md = new StringBuilder("| failure detector | kill -9 p50 / max (ms) | SIGTERM p50 / max (ms) | "
                + "kill -9 after the leaves p50 / max (ms) | false removals / re-adds under load | "
                + "kill -9 under load p50 / max (ms) | loadavg before / end of load window |\n"
                + "|---|---|---|---|---|---|---|\n");
        results.forEach(r -> md.append(row(r)).append('\n'));
        md.append('\n');
        results.forEach(r -> md.append(r.profile()).append(": kill ").append(r.kill()).append(" term ")
                .append(r.term()).append(" kill-after-leaves ").append(r.killAfterLeaves()).append(" kill-under-load ").append(r.loadKill()).append('\n'));
        Files.writeString(out.resolve("results.md"), md);
        System.out.println(md);
    }

    private static Result runProfile(String profile, boolean crashWatch, Path dir, int runs, int postLeaveKills,
            int loadSeconds, int loadThreads, int loadKills) throws Exception {
        Files.createDirectories(dir);
        try (MemberGroup group = MemberGroup.ofThree(dir, profile, crashWatch)) {
            Map<String, MemberProcess> members = new LinkedHashMap<>();
            long started = System.nanoTime();
            ALL.stream().sorted().forEach(name -> members.put(name, group.start(name)));
            awaitConverged(members);
            // A speaker holds SWIM's removals for a second during its warm-up (LocalHealth): the
            // survivors must be past it, or the first kills measure the hold, not the detection.
            long warm = LocalHealth.WARMUP.toMillis() - (System.nanoTime() - started) / 1_000_000;
            if (warm > 0) {
                log(profile + ": waiting " + warm + " ms for the members' warm-up to end");
                Thread.sleep(warm);
            }
            String loadBefore = loadavg();
            List<Long> kill = repeat(profile, "kill -9", runs, () -> detect(group, members, true));
            List<Long> term = repeat(profile, "SIGTERM", runs, () -> detect(group, members, false));
            // Again after the graceful leaves: scalecube 2.7.7 can keep stale LEAVING records in its
            // table, which lengthens the suspicion timeout (bitLength of the table size).
            List<Long> killAfterLeaves = repeat(profile, "kill -9 after leaves", postLeaveKills,
                    () -> detect(group, members, true));
            Process load = startLoad(dir, loadThreads, loadSeconds + 120L * loadKills + 30);
            try {
                Thread.sleep(2000); // let the spinners get going before the window opens
                long from = System.currentTimeMillis();
                Thread.sleep(loadSeconds * 1000L);
                long to = System.currentTimeMillis();
                String loadDuring = loadavg();
                int[] flaps = flaps(members.values(), from, to);
                log(profile + " under load: removals=" + flaps[0] + " re-adds=" + flaps[1] + " loadavg=" + loadDuring);
                List<Long> loadKill = repeat(profile, "kill -9 under load", loadKills, () -> detect(group, members, true));
                return new Result(profile, kill, term, killAfterLeaves, loadKill, flaps[0], flaps[1], loadBefore,
                        loadDuring);
            } finally {
                load.destroyForcibly();
                load.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static List<Long> repeat(String profile, String what, int times, Run run) throws InterruptedException {
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            values.add(run.measure());
            log(profile + " " + what + " run " + (i + 1) + ": " + values.get(i) + " ms");
        }
        return values;
    }

    /** Kills (or terminates) n3, returns ms until both survivors dropped it, then restarts it. */
    private static long detect(MemberGroup group, Map<String, MemberProcess> members, boolean kill)
            throws InterruptedException {
        // Random phase against the probe schedule; also lets the restarted member settle.
        Thread.sleep(1000 + ThreadLocalRandom.current().nextLong(300));
        MemberProcess victim = members.get(VICTIM);
        List<MemberProcess> survivors = members.values().stream().filter(m -> m != victim).toList();
        long t0 = System.currentTimeMillis();
        if (kill) {
            victim.kill();
        } else {
            victim.terminate();
        }
        waitFor(Duration.ofSeconds(60), () -> survivors.stream().allMatch(s -> s.firstViewWithout(VICTIM, t0) != null));
        long both = survivors.stream().mapToLong(s -> s.firstViewWithout(VICTIM, t0).ts() - t0).max().orElseThrow();
        victim.waitExit();
        members.put(VICTIM, group.start(VICTIM));
        awaitConverged(members);
        return both;
    }

    /** Live members removed from, and re-added to, any member's view between {@code from} and {@code to}. */
    static int[] flaps(Iterable<MemberProcess> members, long from, long to) {
        int removals = 0;
        int reAdds = 0;
        for (MemberProcess member : members) {
            Set<String> previous = null;
            for (ViewLine view : member.views()) {
                if (view.ts() < from) {
                    previous = view.alive();
                    continue;
                }
                if (view.ts() > to) {
                    break;
                }
                if (previous != null) {
                    Set<String> gone = new HashSet<>(previous);
                    gone.removeAll(view.alive());
                    Set<String> back = new HashSet<>(view.alive());
                    back.removeAll(previous);
                    removals += gone.size();
                    reAdds += back.size();
                    if (!gone.isEmpty() || !back.isEmpty()) {
                        log("flap seen by " + member.name() + " at " + view.ts() + ": gone=" + gone + " back=" + back);
                    }
                }
                previous = view.alive();
            }
        }
        return new int[] {removals, reAdds};
    }

    static Process startLoad(Path dir, int threads, long seconds) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-cp", System.getProperty("java.class.path"), BusyLoad.class.getName(),
                "threads=" + threads, "seconds=" + seconds);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("busyload.log").toFile()).start();
    }

    static void awaitConverged(Map<String, MemberProcess> members) throws InterruptedException {
        waitFor(Duration.ofSeconds(90), () -> members.values().stream().allMatch(m -> m.joined() && m.alive().equals(ALL)));
    }

    private static void waitFor(Duration atMost, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("condition not met within " + atMost);
            }
            Thread.sleep(5);
        }
    }

    private static String row(Result r) {
        return "| " + r.profile() + " | " + p50(r.kill()) + " / " + max(r.kill()) + " | " + p50(r.term()) + " / "
                + max(r.term()) + " | " + p50(r.killAfterLeaves()) + " / " + max(r.killAfterLeaves()) + " | "
                + r.falseRemovals() + " / " + r.falseReAdds() + " | " + p50(r.loadKill())
                + " / " + max(r.loadKill()) + " | " + r.loadBefore() + " / " + r.loadDuring() + " |";
    }

    /** Nearest-rank median. */
    static long p50(List<Long> values) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.ceil(sorted.size() * 0.5) - 1);
    }

    static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    static String loadavg() {
        try {
            return Arrays.stream(Files.readString(Path.of("/proc/loadavg")).split(" ")).limit(3)
                    .collect(Collectors.joining(" "));
        } catch (IOException e) {
            return "?";
        }
    }

    static void log(String line) {
        System.out.println(java.time.LocalTime.now() + " " + line);
        System.out.flush();
    }
}
