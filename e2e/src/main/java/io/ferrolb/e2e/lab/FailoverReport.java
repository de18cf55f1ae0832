package io.ferrolb.e2e.lab;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Summaries of failover runs: nearest-rank percentiles, a JSON document and a Markdown table. */
public final class FailoverReport {

    private FailoverReport() {
    }

    /** Nearest-rank percentile of the values (p in 0..100). */
    public static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public static String table(List<FailoverRun> runs) {
        StringBuilder b = new StringBuilder();
        b.append("| profile | signal | runs | new owner answers after: p50 ms | p99 ms | max ms "
                + "| failed attempts (all runs) | runs with a failed attempt |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        runs.stream().collect(Collectors.groupingBy(r -> r.profile() + "/" + r.signal(),
                java.util.LinkedHashMap::new, Collectors.toList())).forEach((key, group) -> {
                    List<Long> ms = group.stream().map(FailoverRun::interruptionMs).toList();
                    b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %d |%n",
                            group.get(0).profile(), group.get(0).signal(), group.size(), percentile(ms, 50),
                            percentile(ms, 99), percentile(ms, 100),
                            group.stream().mapToLong(FailoverRun::failed).sum(),
                            group.stream().filter(r -> r.failed() > 0).count()));
                });
        return b.toString();
    }

    public static String json(List<FailoverRun> runs, String profile, int intervalMs, int timeoutMs) {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"profile\": \"").append(profile).append("\",\n");
        b.append("  \"probeIntervalMs\": ").append(intervalMs).append(",\n");
        b.append("  \"probeTimeoutMs\": ").append(timeoutMs).append(",\n");
        b.append("  \"summary\": {");
        String summary = runs.stream().collect(Collectors.groupingBy(FailoverRun::signal,
                java.util.LinkedHashMap::new, Collectors.toList())).entrySet().stream().map(e -> {
                    List<Long> ms = e.getValue().stream().map(FailoverRun::interruptionMs).toList();
                    return String.format(Locale.ROOT, "\n    \"%s\": {\"runs\": %d, \"p50Ms\": %d, \"p99Ms\": %d, "
                            + "\"maxMs\": %d, \"failedAttempts\": %d}", e.getKey(), ms.size(), percentile(ms, 50),
                            percentile(ms, 99), percentile(ms, 100),
                            e.getValue().stream().mapToLong(FailoverRun::failed).sum());
                }).collect(Collectors.joining(","));
        b.append(summary).append("\n  },\n  \"runs\": [");
        b.append(runs.stream().map(r -> String.format(Locale.ROOT,
                "\n    {\"run\": %d, \"signal\": \"%s\", \"stoppedNode\": \"%s\", \"newOwner\": \"%s\", "
                        + "\"stoppedAtEpochMs\": %d, \"interruptionMs\": %d, \"failedAttempts\": %d}",
                r.run(), r.signal(), r.stoppedNode(), r.newOwner(), r.stoppedAt(), r.interruptionMs(), r.failed()))
                .collect(Collectors.joining(",")));
        b.append("\n  ]\n}\n");
        return b.toString();
    }
}
