package io.ferrolb.e2e.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The failover benchmark at scale ({@code lab bench-scale}): N LoadBalancer Services on the lab's
 * three nodes, the speaker that owns the most VIPs stopped (kill -9 or SIGTERM), and every VIP
 * watched from the client by {@link ArpProber} (one ARP request per VIP per round) plus new TCP
 * connections to a sample of the stopped speaker's VIPs. Nothing is asked of the speakers: every
 * figure is what the client saw on the wire.
 *
 * <p>Per run: when each of the victim's VIPs was first answered by a survivor (first, median, last),
 * rounds in which two MACs answered one request (from before the stop to the end of the restart),
 * failed TCP connections, the restart window (from starting the stopped speaker again to the last
 * of its VIPs answered by it again) and the longest a VIP went unanswered in it, the RSS of every
 * process, and every speaker's CPU while it answers the prober in the steady state before the stop
 * (from {@code /proc/<pid>/stat}).
 *
 * <p>Flags: {@code --services 10,100,1000}, {@code --signals kill,term}, {@code --runs 10},
 * {@code --tcp-sample 10}, {@code --interval-ms 50}, {@code --out docs/bench}, {@code --impl ferrolb|metallb}.
 * Writes {@code scale-<impl>.json} and {@code scale-<impl>.png} there.
 */
public final class ScaleBenchmark {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final Duration CPU_WINDOW = Duration.ofSeconds(5);

    /** One stop and restart of the speaker owning the most VIPs. */
    public record Run(int services, String signal, int run, String victim, int victimVips, long firstMs,
            long medianMs, long p90Ms, long lastMs, List<Long> perVipMs, int doubleRounds, List<String> doubleSamples,
            int tcpAttempts, int tcpFailed, Failures tcpFailures, long restartLastMs, int restartDoubleRounds,
            long restartSilentMs, int restartTcpAttempts, int restartTcpFailed, Failures restartTcpFailures,
            Map<String, Long> rssBeforeKib, Map<String, Long> rssAfterRestartKib, Map<String, Double> cpuPercent,
            String loadavg) {
    }

    /**
     * The failed TCP attempts of a move: how many of each kind ({@code reset}, {@code timeout}: no
     * connection, {@code answer-timeout}: connected but not answered in time, ...), how many
     * started in each 100 ms after the stop or restart (by the start of that interval, ms), and the
     * first 50 as {@code +<ms after the stop or restart> <vip> <kind> <ms the attempt took> moved
     * +<ms after the stop or restart its VIP answered from the new owner>}: whether a connection
     * failed before or after its VIP moved tells a slow move from one cut by the switch of the
     * client's ARP entry.
     */
    public record Failures(Map<String, Long> byKind, Map<Long, Long> per100Ms, List<String> samples) {

        static Failures of(List<ProberRun.Attempt> window, Map<String, Long> moved, long from) {
            List<ProberRun.Attempt> failed = window.stream().filter(a -> !a.ok()).toList();
            return new Failures(
                    failed.stream().collect(Collectors.groupingBy(ProberRun.Attempt::detail, TreeMap::new,
                            Collectors.counting())),
                    failed.stream().collect(Collectors.groupingBy(a -> Math.floorDiv(a.epochMs() - from, 100) * 100,
                            TreeMap::new, Collectors.counting())),
                    failed.stream().limit(50).map(a -> "+" + (a.epochMs() - from) + " " + a.ip() + " " + a.detail()
                            + " " + a.ms() + " moved +" + moved.getOrDefault(a.ip(), -1L)).toList());
        }
    }

    private final Lab lab;
    private final LabClient client;
    private final int intervalMs;
    private final int tcpSample;
    private final ScaleServices services;

    private ScaleBenchmark(Lab lab, int intervalMs, int tcpSample) {
        this.lab = lab;
        this.services = new ScaleServices(lab, WAIT);
        this.client = new LabClient(lab.settings().dir(), lab.pids());
        this.intervalMs = intervalMs;
        this.tcpSample = tcpSample;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(10, 100, 1000);
        List<String> signals = List.of("kill", "term");
        int runs = 10;
        int tcpSample = 10;
        int intervalMs = 50;
        Implementation impl = Implementation.FERROLB;
        Path out = Path.of("docs/bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--services" -> sizes = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).sorted().toList();
                case "--signals" -> signals = List.of(args[++i].split(","));
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--tcp-sample" -> tcpSample = Integer.parseInt(args[++i]);
                case "--interval-ms" -> intervalMs = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--impl" -> impl = Implementation.parse(args[++i]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + " (--services, --signals, --runs, --tcp-sample, --interval-ms, --out, --impl)");
            }
        }
        if (sizes.get(sizes.size() - 1) > ScaleServices.MAX) {
            throw new IllegalArgumentException("at most " + ScaleServices.MAX + " Services: the pool is "
                    + ScaleServices.POOL_CIDR);
        }
        List<Run> results = new ArrayList<>();
        Steps steps = new Steps(System.out);
        try (Lab lab = Lab.up(Lab.Settings.defaults().withImpl(impl), steps)) {
            ScaleBenchmark bench = new ScaleBenchmark(lab, intervalMs, tcpSample);
            bench.services.preparePool();
            for (int n : sizes) {
                steps.run(n + " Services, allocated and announced", () -> bench.services.scaleTo(n));
                for (String signal : signals) {
                    for (int run = 1; run <= runs; run++) {
                        Run r = bench.once(n, signal, run);
                        results.add(r);
                        System.out.printf(Locale.ROOT, "  %4d Services %s run %2d: %s owned %d VIPs; survivor answered "
                                + "first %d, median %d, last %d ms; %d double rounds; TCP %d/%d failed; restart: last "
                                + "VIP back after %d ms, %d double rounds, longest unanswered %d ms%n", n, signal, run,
                                r.victim(), r.victimVips(), r.firstMs(), r.medianMs(), r.lastMs(), r.doubleRounds(),
                                r.tcpFailed(), r.tcpAttempts(), r.restartLastMs(), r.restartDoubleRounds(),
                                r.restartSilentMs());
                    }
                }
            }
        }
        Files.createDirectories(out);
        Path json = out.resolve("scale-" + impl + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), results);
        Path png = out.resolve("scale-" + impl + ".png");
        ScalePlot.write(results, png);
        System.out.println();
        System.out.println(ScaleReport.table(results));
        System.out.println("wrote " + json + " and " + png);
    }

    private Run once(int n, String signal, int run) {
        List<String> vips = services.vips();
        try (ArpWatch watch = ArpWatch.start(lab.settings().dir(), lab.pids(), "arp-watch", vips, intervalMs)) {
            Map<String, String> owners = services.awaitOneOwnerEach(watch, vips);
            String victim = owners.values().stream().collect(Collectors.groupingBy(o -> o, Collectors.counting()))
                    .entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            LabNode node = lab.node(victim);
            List<String> victimVips = owners.entrySet().stream().filter(e -> e.getValue().equals(victim))
                    .map(Map.Entry::getKey).sorted().toList();
            Map<String, Long> rssBefore = rss();
            Map<String, Double> cpu = steadyCpu(watch);
            String loadavg = Sh.run("cat", "/proc/loadavg").stdout().strip();
            List<String> sample = victimVips.subList(0, Math.min(tcpSample, victimVips.size()));
            long runStart = System.currentTimeMillis();
            try (ProberRun tcp = client.probeNew("scale-tcp", String.join(",", sample), 80, 20, 200)) {
                Await.until("TCP probes answered by " + victim, WAIT, () -> tcp.attempts().stream()
                        .filter(a -> a.ok() && a.epochMs() >= runStart && a.detail().equals(victim)).count()
                        >= 5L * sample.size());
                long stoppedAt = System.currentTimeMillis();
                if (signal.equals("kill")) {
                    node.speaker().kill();
                } else {
                    node.speaker().signalTerm();
                }
                Map<String, Long> taken = awaitTakeover(watch, victimVips, node.mac(), stoppedAt);
                node.speaker().awaitExit(Duration.ofSeconds(30));
                long takenBy = taken.values().stream().mapToLong(Long::longValue).max().orElse(0) + stoppedAt;
                Await.until("2 s of probes after the takeover", WAIT, () -> watch.refresh().lastRoundEpochMs()
                        >= takenBy + 2000 && tcp.attempts().stream().anyMatch(a -> a.epochMs() >= takenBy + 2000));
                List<ProberRun.Attempt> window = tcp.attempts().stream()
                        .filter(a -> a.epochMs() + a.ms() >= stoppedAt - 200 && a.epochMs() <= takenBy + 2000)
                        .toList();
                int tcpFailed = (int) window.stream().filter(a -> !a.ok()).count();

                long restartedAt = System.currentTimeMillis();
                lab.startSpeaker(node);
                long backBy = awaitMoveBack(watch, victimVips, node.mac(), restartedAt);
                lab.awaitSpeakerReady(node, WAIT);
                Await.until("2 s of probes after the move-back", WAIT,
                        () -> watch.refresh().lastRoundEpochMs() >= backBy + 2000
                                && tcp.attempts().stream().anyMatch(a -> a.epochMs() >= backBy + 2000));
                List<ProberRun.Attempt> moveBack = tcp.attempts().stream()
                        .filter(a -> a.epochMs() + a.ms() >= restartedAt && a.epochMs() <= backBy + 2000).toList();
                Map<String, Long> back = backAt(watch, victimVips, node.mac(), restartedAt);
                List<ArpWatch.Double> doubles = watch.refresh().doubles().stream()
                        .filter(d -> d.epochMs() >= runStart).toList();
                int before = (int) doubles.stream().filter(d -> d.epochMs() < restartedAt).count();
                List<Long> perVip = taken.values().stream().sorted().toList();
                return new Run(n, signal, run, victim, victimVips.size(), perVip.get(0),
                        FailoverReport.percentile(perVip, 50), FailoverReport.percentile(perVip, 90),
                        perVip.get(perVip.size() - 1), perVip, before,
                        doubles.stream().limit(20).map(d -> d.epochMs() + " " + d.vip() + " " + d.macs()).toList(),
                        window.size(), tcpFailed, Failures.of(window, taken, stoppedAt), backBy - restartedAt,
                        doubles.size() - before,
                        longestSilence(watch, victimVips, restartedAt, backBy), moveBack.size(),
                        (int) moveBack.stream().filter(a -> !a.ok()).count(),
                        Failures.of(moveBack, back, restartedAt), rssBefore, rss(),
                        cpu, loadavg);
            }
        }
    }

    /**
     * Per VIP, ms from the stop to the first round in which another MAC than the victim's answered
     * it; the round under way at the stop counts (0 ms: see {@link ArpWatch#changesFrom}).
     */
    private Map<String, Long> awaitTakeover(ArpWatch watch, List<String> vips, String victimMac, long stoppedAt) {
        Set<String> wanted = Set.copyOf(vips);
        return Await.value("every VIP of the stopped speaker answered by a survivor", WAIT, () -> {
            Map<String, Long> first = new LinkedHashMap<>();
            for (ArpWatch.Change c : watch.refresh().changesFrom(stoppedAt)) {
                if (!c.macs().isEmpty() && !c.macs().contains(victimMac) && wanted.contains(c.vip())) {
                    first.putIfAbsent(c.vip(), Math.max(0, c.epochMs() - stoppedAt));
                }
            }
            return first.size() == vips.size() ? first : null;
        }, m -> true);
    }

    /** Per VIP, ms from the restart to the round in which the restarted speaker alone answered it for good. */
    private static Map<String, Long> backAt(ArpWatch watch, List<String> vips, String mac, long restartedAt) {
        Set<String> wanted = Set.copyOf(vips);
        Map<String, Long> back = new HashMap<>();
        for (ArpWatch.Change c : watch.changes()) {
            if (c.epochMs() >= restartedAt && wanted.contains(c.vip())) {
                if (c.macs().equals(Set.of(mac))) {
                    back.putIfAbsent(c.vip(), c.epochMs() - restartedAt);
                } else {
                    back.remove(c.vip());
                }
            }
        }
        return back;
    }

    /**
     * The longest time one of the VIPs went unanswered between the restart and the move-back (ms):
     * its old owner stopped before the restarted speaker answered. A round lost on a busy machine
     * counts too, as one interval.
     */
    private static long longestSilence(ArpWatch watch, List<String> vips, long from, long to) {
        Set<String> wanted = Set.copyOf(vips);
        Map<String, Long> silentSince = new HashMap<>();
        long longest = 0;
        for (ArpWatch.Change c : watch.changes()) {
            if (!wanted.contains(c.vip()) || c.epochMs() > to) {
                continue;
            }
            Long since = silentSince.remove(c.vip());
            if (since != null && c.epochMs() > from) {
                longest = Math.max(longest, c.epochMs() - Math.max(since, from));
            }
            if (c.macs().isEmpty()) {
                silentSince.put(c.vip(), c.epochMs());
            }
        }
        return longest;
    }

    /** When the last of the VIPs was answered by the restarted speaker alone (epoch ms). */
    private long awaitMoveBack(ArpWatch watch, List<String> vips, String mac, long restartedAt) {
        return Await.value("every VIP back on the restarted speaker", WAIT, () -> {
            Map<String, Set<String>> now = watch.refresh().current();
            if (!vips.stream().allMatch(v -> now.getOrDefault(v, Set.of()).equals(Set.of(mac)))) {
                return null;
            }
            Map<String, Long> back = backAt(watch, vips, mac, restartedAt);
            return back.size() == vips.size()
                    ? restartedAt + back.values().stream().mapToLong(Long::longValue).max().orElseThrow() : null;
        }, t -> true);
    }

    /** Per speaker, the share of one core it used over {@link #CPU_WINDOW} of steady probing. */
    private Map<String, Double> steadyCpu(ArpWatch watch) {
        Map<String, Double> before = new LinkedHashMap<>();
        lab.nodes().forEach(n -> before.put(n.name(), ProcStatus.cpuSeconds(n.speaker().pid())));
        long from = System.nanoTime();
        long until = System.currentTimeMillis() + CPU_WINDOW.toMillis();
        Await.until(CPU_WINDOW.toSeconds() + " s of steady probing", WAIT,
                () -> watch.refresh().lastRoundEpochMs() >= until);
        double seconds = (System.nanoTime() - from) / 1e9;
        Map<String, Double> out = new LinkedHashMap<>();
        lab.nodes().forEach(n -> out.put("speaker-" + n.name(),
                100 * (ProcStatus.cpuSeconds(n.speaker().pid()) - before.get(n.name())) / seconds));
        return out;
    }

    /** VmRSS in KiB of every lab process that matters, by name. */
    private Map<String, Long> rss() {
        Map<String, Long> out = new LinkedHashMap<>();
        lab.processes().forEach((name, pid) -> out.put(name, ProcStatus.rssKib(pid)));
        return out;
    }
}
