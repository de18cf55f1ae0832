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
 * run the speaker is started again and the lab settles. Profiles ({@link #speakerArgs}) compare the
 * default with SWIM alone and with scalecube's default timers.
 *
 * <p>Flags: {@code --runs N} (30), {@code --signals kill,term,node}, {@code --profile ferrolb|swim|scalecube},
 * {@code --out DIR} (docs/bench). Writes {@code failover-<profile>.json} and {@code .png} there.
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
        String profile = "ferrolb";
        Path out = Path.of("docs/bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--signals" -> signals = List.of(args[++i].split(","));
                case "--profile" -> profile = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        Lab.Settings settings = Lab.Settings.defaults().withSpeakerArgs(speakerArgs(profile));
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
        String owner = seed.awaitAnnounced("svc1", WAIT);
        // Steady state first: the client reaches the owner now.
        long steadyFrom = System.currentTimeMillis();
        Await.until("probes answered by " + owner, WAIT, () -> prober.attempts().stream()
                .filter(a -> a.epochMs() >= steadyFrom).filter(a -> a.ok() && a.detail().equals(owner)).count() >= 10);
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

    /**
     * The speaker flags of a profile: {@code ferrolb} (the defaults: tuned SWIM timers and the crash
     * watch), {@code swim} (tuned timers, no crash watch), {@code scalecube} (scalecube's own timers,
     * no crash watch: failure detection as a stock SWIM/memberlist speaker has it).
     */
    static String[] speakerArgs(String profile) {
        return switch (profile) {
            case "ferrolb" -> new String[0];
            case "swim" -> new String[] {"--ml-crash-watch=false"};
            case "scalecube" -> new String[] {"--ml-timers", "scalecube-defaults", "--ml-crash-watch=false"};
            default -> throw new IllegalArgumentException("unknown --profile " + profile + " (ferrolb, swim, scalecube)");
        };
    }
}
