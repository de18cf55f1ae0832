package io.ferrolb.e2e.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the lab's processes cost at rest and how fast a VIP's owner answers ARP ({@code lab
 * bench-idle}): at N Services, once every VIP is answered by one node, every process's CPU over an
 * idle window (nobody probes, nothing changes) and its RSS, read from {@code /proc}; then
 * {@code arping} from the client to one VIP of every node, interleaved with the node's own address
 * (answered by its kernel), as the reply-time yardstick.
 *
 * <p>Flags: {@code --services 10,100,1000}, {@code --idle-s 60}, {@code --arp-rounds 10} (20
 * requests per address per round), {@code --impl ferrolb|metallb}, {@code --out docs/bench}. Writes
 * {@code idle-<impl>.json}.
 */
public final class IdleBenchmark {

    private static final Duration WAIT = Duration.ofSeconds(180);
    /** After the last ARP probe of the ownership check, before the idle window. */
    private static final Duration QUIET = Duration.ofSeconds(15);
    private static final int PROBES_PER_ROUND = 20;

    /** One size: CPU share of one core and RSS per process, ARP round trips to VIPs and to node addresses. */
    public record Result(int services, int idleSeconds, Map<String, Double> cpuPercent, Map<String, Long> rssKib,
            Map<String, Long> peakRssKib, int vipReplies, int vipRequests, long vipP50Us, long vipP99Us,
            int nodeReplies, int nodeRequests, long nodeP50Us, long nodeP99Us, String loadavg) {
    }

    private final Lab lab;
    private final ScaleServices services;
    private final LabClient client;

    private IdleBenchmark(Lab lab) {
        this.lab = lab;
        this.services = new ScaleServices(lab, WAIT);
        this.client = new LabClient(lab.settings().dir(), lab.pids());
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(10, 100, 1000);
        int idleSeconds = 60;
        int arpRounds = 10;
        Implementation impl = Implementation.FERROLB;
        Path out = Path.of("docs/bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--services" -> sizes = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).sorted().toList();
                case "--idle-s" -> idleSeconds = Integer.parseInt(args[++i]);
                case "--arp-rounds" -> arpRounds = Integer.parseInt(args[++i]);
                case "--impl" -> impl = Implementation.parse(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + " (--services, --idle-s, --arp-rounds, --impl, --out)");
            }
        }
        List<Result> results = new ArrayList<>();
        Steps steps = new Steps(System.out);
        try (Lab lab = Lab.up(Lab.Settings.defaults().withImpl(impl), steps)) {
            IdleBenchmark bench = new IdleBenchmark(lab);
            bench.services.preparePool();
            for (int n : sizes) {
                steps.run(n + " Services, allocated and announced", () -> bench.services.scaleTo(n));
                Result r = bench.measure(n, idleSeconds, arpRounds);
                results.add(r);
                System.out.println(table(impl, List.of(r)));
            }
        }
        Files.createDirectories(out);
        Path json = out.resolve("idle-" + impl + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), results);
        System.out.println();
        System.out.println(table(impl, results));
        System.out.println("wrote " + json);
    }

    private Result measure(int n, int idleSeconds, int arpRounds) throws InterruptedException {
        List<String> vips = services.vips();
        Map<String, String> owners;
        try (ArpWatch watch = ArpWatch.start(lab.settings().dir(), lab.pids(), "idle-arp-watch", vips, 200)) {
            owners = services.awaitOneOwnerEach(watch, vips);
        }
        Thread.sleep(QUIET.toMillis()); // a measurement protocol: the prober's last requests die out
        Map<String, Long> pids = lab.processes();
        Map<String, Double> before = new LinkedHashMap<>();
        pids.forEach((name, pid) -> before.put(name, ProcStatus.cpuSeconds(pid)));
        long from = System.nanoTime();
        Thread.sleep(idleSeconds * 1000L); // the idle window itself
        double seconds = (System.nanoTime() - from) / 1e9;
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Long> rss = new LinkedHashMap<>();
        Map<String, Long> peak = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            cpu.put(name, 100 * (ProcStatus.cpuSeconds(pid) - before.get(name)) / seconds);
            rss.put(name, ProcStatus.rssKib(pid));
            peak.put(name, ProcStatus.peakRssKib(pid));
        });
        String loadavg = Sh.run("cat", "/proc/loadavg").stdout().strip();

        List<Long> vipRtt = new ArrayList<>();
        List<Long> nodeRtt = new ArrayList<>();
        int requests = 0;
        for (int round = 0; round < arpRounds; round++) {
            for (LabNode node : lab.nodes()) {
                String vip = owners.entrySet().stream().filter(e -> e.getValue().equals(node.name()))
                        .map(Map.Entry::getKey).findFirst().orElse(null);
                if (vip == null) {
                    continue;
                }
                client.arpingRttMicros(vip, PROBES_PER_ROUND).forEach(us -> vipRtt.add(Math.round(us)));
                client.arpingRttMicros(node.ip(), PROBES_PER_ROUND).forEach(us -> nodeRtt.add(Math.round(us)));
                requests += PROBES_PER_ROUND;
            }
        }
        return new Result(n, idleSeconds, cpu, rss, peak, vipRtt.size(), requests, FailoverReport.percentile(vipRtt, 50),
                FailoverReport.percentile(vipRtt, 99),
                nodeRtt.size(), requests, FailoverReport.percentile(nodeRtt, 50),
                FailoverReport.percentile(nodeRtt, 99), loadavg);
    }

    /** Markdown: one row per size; speakers summed, then averaged per speaker. */
    static String table(Implementation impl, List<Result> results) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%n%s%n| Services | idle CPU %% of a core: speaker "
                + "(mean of 3) / controller / kube-apiserver / etcd | RSS MiB: speaker (max) / controller | ARP reply "
                + "p50 / p99 µs: VIP | node's kernel | VIP replies | load avg |%n|---|---|---|---|---|---|---|%n", impl));
        for (Result r : results) {
            double speakers = r.cpuPercent().entrySet().stream().filter(e -> e.getKey().startsWith("speaker-"))
                    .mapToDouble(Map.Entry::getValue).average().orElse(Double.NaN);
            long speakerRss = r.rssKib().entrySet().stream().filter(e -> e.getKey().startsWith("speaker-"))
                    .mapToLong(Map.Entry::getValue).max().orElse(-1);
            s.append(String.format(Locale.ROOT, "| %d | %.2f / %.2f / %.2f / %.2f | %d / %d | %d / %d | %d / %d | %d of %d"
                    + " | %s |%n", r.services(), speakers, r.cpuPercent().get("controller"),
                    r.cpuPercent().get("kube-apiserver"), r.cpuPercent().get("etcd"), speakerRss / 1024,
                    r.rssKib().get("controller") / 1024, r.vipP50Us(), r.vipP99Us(), r.nodeP50Us(), r.nodeP99Us(),
                    r.vipReplies(), r.vipRequests(), r.loadavg().split(" ")[0]));
        }
        return s.toString();
    }
}
