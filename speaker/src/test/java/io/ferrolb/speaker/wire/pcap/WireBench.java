package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.testkit.ArpingOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Layer-2 wire benchmark (not a test; root only): builds a node and a client namespace, runs a
 * {@link WireMain} for one VIP in the node, then measures from the client (1) arping RTT to the VIP
 * (our responder) and to the node's own address (the kernel), interleaved in the same run, p50 and
 * p99; (2) the highest ARP request rate answered without loss, VIP and kernel; (3) the wire JVM's
 * idle CPU over 30 s. Prints a Markdown block for docs/benchmarks.md ("Layer 2 wire", which has the
 * exact command). The argument is the number of rounds of 20 + 20 probes (default 25).
 */
public final class WireBench {

    private static final Pattern FLOOD = Pattern.compile("achieved=(\\d+) sent=(\\d+) received=(\\d+)");
    private static final String VIP = "198.18.10.200";

    private WireBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        try (WireLab lab = new WireLab()) {
            WireLab.Host node = lab.host("n1", 11);
            WireLab.Host client = lab.host("c", 100);
            WireProcess wire = WireProcess.start(lab, node, "n1", Path.of("target", "wire-bench"));
            wire.command("announce ns/bench " + VIP);
            rtt(lab, client, VIP, 20);
            rtt(lab, client, node.ip(), 20);
            List<Double> vip = new ArrayList<>();
            List<Double> kernel = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                vip.addAll(rtt(lab, client, VIP, 20));
                kernel.addAll(rtt(lab, client, node.ip(), 20));
            }
            long cpu = idleCpuMillis(wire.pid(), Duration.ofSeconds(30));
            List<String> rates = new ArrayList<>();
            for (String target : List.of(VIP, node.ip())) {
                rates.add(target + ": " + lossless(lab, client, target));
            }
            String load = lab.run(client.ns(), "uptime").stdout().strip();
            System.out.println(report(vip, kernel, cpu, rates, load));
            wire.quit();
        }
    }

    private static List<Double> rtt(WireLab lab, WireLab.Host client, String target, int count) {
        return ArpingOutput.rttMicros(lab.run(client.ns(), "arping", "-c", String.valueOf(count), "-W", "0.01", "-w",
                "10", "-i", "eth0", target).stdout());
    }

    /** The highest rate of a doubling ladder whose requests were all answered, with the first lossy step. */
    private static String lossless(WireLab lab, WireLab.Host client, String target) {
        String best = "none";
        for (int rate = 1000; rate <= 64000; rate *= 2) {
            String out = lab.run(client.ns(), Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-cp", System.getProperty("java.class.path"), ArpFlood.class.getName(), "eth0",
                    client.mac(), client.ip(), target, String.valueOf(rate), "3").stdout();
            Matcher m = FLOOD.matcher(out);
            if (!m.find()) {
                return best + " (flood failed: " + out.strip() + ")";
            }
            long achieved = Long.parseLong(m.group(1));
            long sent = Long.parseLong(m.group(2));
            long received = Long.parseLong(m.group(3));
            if (received < sent) {
                return best + " (first loss at " + achieved + "/s: " + received + " of " + sent + ")";
            }
            best = achieved + "/s lossless";
        }
        return best;
    }

    private static long idleCpuMillis(long pid, Duration window) throws Exception {
        long before = cpuTicks(pid);
        Thread.sleep(window.toMillis());
        return (cpuTicks(pid) - before) * 10; // USER_HZ = 100
    }

    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String report(List<Double> vip, List<Double> kernel, long cpuMillis, List<String> rates,
            String load) {
        double v50 = pct(vip, 50);
        double v99 = pct(vip, 99);
        double k50 = pct(kernel, 50);
        double k99 = pct(kernel, 99);
        return String.format(Locale.ROOT, """
                | arping RTT (n=%d each) | p50 | p99 |
                |---|---|---|
                | VIP (ferrolb wire) | %.0f µs | %.0f µs |
                | node IP (kernel) | %.0f µs | %.0f µs |
                | ratio VIP / kernel | %.2f | %.2f |

                Lossless ARP request rate (3 s per step, doubling from 1000/s): %s
                Wire JVM idle CPU: %d ms over 30 s (%.2f %%)
                Load (uptime): %s
                """, vip.size(), v50, v99, k50, k99, v50 / k50, v99 / k99, String.join("; ", rates), cpuMillis,
                cpuMillis / 300.0, load);
    }

    private static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
