package io.ferrolb.e2e.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** The Markdown table of the scale benchmark: one row per size and signal, medians and worst over the runs. */
public final class ScaleReport {

    private ScaleReport() {
    }

    public static String table(List<ScaleBenchmark.Run> runs) {
        StringBuilder b = new StringBuilder();
        b.append("| Services | signal | runs | VIPs on the stopped speaker | first VIP ms (median / max) "
                + "| median VIP ms | last VIP ms (median / max) | rounds with two owners "
                + "| failed TCP / attempts (of them answered late) "
                + "| restart: last VIP back ms (median / max) | restart rounds with two owners "
                + "| restart: longest a VIP went unanswered ms (median / max) "
                + "| restart: failed TCP / attempts (answered late) "
                + "| speaker RSS MiB (max) | controller RSS MiB | speaker CPU % while probed (median / max) |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        runs.stream().collect(Collectors.groupingBy(r -> r.services() + "/" + r.signal(), LinkedHashMap::new,
                Collectors.toList())).forEach((key, g) -> b.append(String.format(Locale.ROOT,
                "| %d | %s | %d | %d | %d / %d | %d | %d / %d | %d | %d / %d (%d) | %d / %d | %d | %d / %d | %d / %d (%d) | %.0f | %.0f | %.0f / %.0f |%n",
                g.get(0).services(), g.get(0).signal(), g.size(), median(g, ScaleBenchmark.Run::victimVips),
                median(g, ScaleBenchmark.Run::firstMs), max(g, ScaleBenchmark.Run::firstMs),
                median(g, ScaleBenchmark.Run::medianMs), median(g, ScaleBenchmark.Run::lastMs),
                max(g, ScaleBenchmark.Run::lastMs), g.stream().mapToInt(ScaleBenchmark.Run::doubleRounds).sum(),
                g.stream().mapToInt(ScaleBenchmark.Run::tcpFailed).sum(),
                g.stream().mapToInt(ScaleBenchmark.Run::tcpAttempts).sum(),
                late(g, ScaleBenchmark.Run::tcpFailures),
                median(g, ScaleBenchmark.Run::restartLastMs), max(g, ScaleBenchmark.Run::restartLastMs),
                g.stream().mapToInt(ScaleBenchmark.Run::restartDoubleRounds).sum(),
                median(g, ScaleBenchmark.Run::restartSilentMs), max(g, ScaleBenchmark.Run::restartSilentMs),
                g.stream().mapToInt(ScaleBenchmark.Run::restartTcpFailed).sum(),
                g.stream().mapToInt(ScaleBenchmark.Run::restartTcpAttempts).sum(),
                late(g, ScaleBenchmark.Run::restartTcpFailures),
                g.stream().flatMap(r -> r.rssBeforeKib().entrySet().stream())
                        .filter(e -> e.getKey().startsWith("speaker")).mapToLong(e -> e.getValue()).max().orElse(0)
                        / 1024.0,
                g.stream().mapToLong(r -> r.rssBeforeKib().getOrDefault("controller", 0L)).max().orElse(0)
                        / 1024.0, cpu(g, 50), cpu(g, 100))));
        return b.toString();
    }

    /**
     * Failed attempts whose connection was made but not answered in time: on the loaded lab
     * machine, a backend waiting for a CPU, not a lost path.
     */
    private static long late(List<ScaleBenchmark.Run> g, Function<ScaleBenchmark.Run, ScaleBenchmark.Failures> f) {
        return g.stream().mapToLong(r -> f.apply(r).byKind().getOrDefault("answer-timeout", 0L)).sum();
    }

    /** A percentile of every speaker's steady CPU share over the runs. */
    private static double cpu(List<ScaleBenchmark.Run> g, int percentile) {
        List<Long> tenths = g.stream().flatMap(r -> r.cpuPercent().values().stream())
                .filter(v -> !v.isNaN()).map(v -> Math.round(v * 10)).sorted().toList();
        return tenths.isEmpty() ? Double.NaN : FailoverReport.percentile(tenths, percentile) / 10.0;
    }

    private static long median(List<ScaleBenchmark.Run> g, ToLongFunction<ScaleBenchmark.Run> f) {
        return FailoverReport.percentile(g.stream().map(f::applyAsLong).toList(), 50);
    }

    private static long max(List<ScaleBenchmark.Run> g, ToLongFunction<ScaleBenchmark.Run> f) {
        return g.stream().mapToLong(f).max().orElse(-1);
    }
}
