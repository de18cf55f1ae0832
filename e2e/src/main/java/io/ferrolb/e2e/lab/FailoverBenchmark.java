package io.ferrolb.e2e.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The failover benchmark ({@code lab bench-failover}): a prober in the client opens a connection to
 * svc1's VIP every 20 ms; N times the owner's speaker is stopped (SIGKILL, SIGTERM, or the whole
 * node: its link down and its speaker killed) and the
 * time to the first answer through the new owner and the failed attempts are recorded; after each
 * run the speaker is started again and the lab settles. The speaker's failure detector and crash
 * watch are chosen as in the chart, to compare the default with SWIM alone and with scalecube's
 * own timers.
 *
 * <p>Flags: {@code --runs N} (30), {@code --signals kill,term,node},
 * {@code --failure-detector ferrolb|scalecube-defaults|aggressive} (ferrolb), {@code --crash-watch true|false}
 * (true), {@code --out DIR} (docs/bench), {@code --impl ferrolb|metallb} (ferrolb; metallb runs MetalLB's own
 * speakers, and the ferrolb flags do not apply). Writes {@code failover-<label>.json} and {@code .png}
 * there, the label being the failure detector's name, with {@code -no-crash-watch} when the watch is
 * off, or {@code metallb}.
 */
public final class FailoverBenchmark {

    private static final int INTERVAL_MS = 20;
    private static final int TIMEOUT_MS = 200;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final Lab lab;
    private final Seed seed;
    private final String profile;

    private FailoverBenchmark(Lab lab, String profile) {
        this.lab = lab;
        this.seed = new Seed(lab);
        this.profile = profile;
    }

    public static void main(String[] args) throws Exception {
        int runs = 30;
        List<String> signals = List.of("kill", "term", "node");
        String detector = "ferrolb";
        boolean crashWatch = true;
        Implementation impl = Implementation.FERROLB;
        Path out = Path.of("docs/bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--signals" -> signals = List.of(args[++i].split(","));
                case "--failure-detector" -> detector = args[++i];
                case "--crash-watch" -> crashWatch = Boolean.parseBoolean(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--impl" -> impl = Implementation.parse(args[++i]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        String profile = impl == Implementation.METALLB ? "metallb"
                : detector + (crashWatch ? "" : "-no-crash-watch");
        Lab.Settings settings = Lab.Settings.defaults().withImpl(impl).withSpeakerArgs(
                "--failure-detector=" + detector, "--crash-watch=" + crashWatch);
        Steps steps = new Steps(System.out);
        List<FailoverRun> results = new ArrayList<>();
        try (Lab lab = Lab.up(settings, steps)) {
            FailoverBenchmark bench = new FailoverBenchmark(lab, profile);
            for (String signal : signals) {
                results.addAll(bench.series(signal, runs));
            }
        }
        Files.createDirectories(out);
        Path json = out.resolve("failover-" + profile + ".json");
        Files.writeString(json, FailoverReport.json(results, profile, INTERVAL_MS, TIMEOUT_MS));
        Path png = out.resolve("failover-" + profile + ".png");
        FailoverPlot.write(results, png);
        System.out.println();
        System.out.println(FailoverReport.table(results));
        System.out.println("wrote " + json + " and " + png);
    }

    private List<FailoverRun> series(String signal, int runs) {
        List<FailoverRun> results = new ArrayList<>();
        seed.applyPool();
        seed.createService("svc1");
        String vip = seed.awaitIp("svc1", WAIT);
        seed.awaitAnnounced("svc1", WAIT);
        LabClient client = new LabClient(lab.settings().dir(), lab.pids());
        try (ProberRun prober = client.probeNew("bench-prober-" + signal, vip, 80, INTERVAL_MS, TIMEOUT_MS)) {
            for (int run = 1; run <= runs; run++) {
                results.add(once(run, signal, prober));
                FailoverRun r = results.get(results.size() - 1);
                System.out.printf(Locale.ROOT, "  %s run %2d: %s stopped, %s took over, %d ms, %d failed%n",
                        signal, run, r.stoppedNode(), r.newOwner(), r.interruptionMs(), r.failed());
            }
        }
        return results;
    }

    private FailoverRun once(int run, String signal, ProberRun prober) {
        seed.awaitAnnounced("svc1", WAIT);
        // Steady state first: the last 10 probes answered by the owner the ServiceL2Status names. The
        // owner is read again until then: a restarted speaker may win the VIP back once it has joined.
        long steadyFrom = System.currentTimeMillis();
        String owner = Await.value("10 probes in a row answered by the VIP's owner", WAIT, () -> {
            String status = seed.statusNode("svc1").orElse(null);
            List<ProberRun.Attempt> since = prober.attempts().stream().filter(a -> a.epochMs() >= steadyFrom).toList();
            if (status == null || since.size() < 10) {
                return null;
            }
            boolean steady = since.subList(since.size() - 10, since.size()).stream()
                    .allMatch(a -> a.ok() && a.detail().equals(status));
            return steady ? status : null;
        }, o -> true);
        LabNode node = lab.node(owner);
        long stoppedAt = System.currentTimeMillis();
        switch (signal) {
            case "kill" -> node.speaker().kill();
            case "term" -> node.speaker().signalTerm();
            case "node" -> {
                // The whole node goes away: off the LAN first, then its speaker dies with it.
                Chaos.linkDown(node);
                node.speaker().kill();
            }
            default -> throw new IllegalArgumentException("unknown signal " + signal + " (kill, term, node)");
        }
        Await.until("a probe answered by another node", WAIT, () -> prober.attempts().stream()
                .anyMatch(a -> a.ok() && a.epochMs() >= stoppedAt && !a.detail().equals(owner)));
        node.speaker().awaitExit(Duration.ofSeconds(30));
        // Keep 2 s after the takeover for the plot, then bring the node back.
        long after = System.currentTimeMillis();
        Await.until("2 s of probes after the takeover", WAIT, () -> prober.attempts().stream()
                .anyMatch(a -> a.epochMs() >= after + 2000));
        FailoverRun result = FailoverRun.of(run, signal, profile, owner, stoppedAt, prober.attempts());
        if (signal.equals("node")) {
            Chaos.linkUp(node);
        }
        lab.restartSpeaker(node);
        return result;
    }
}
