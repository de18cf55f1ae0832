package io.ferrolb.speaker.wire.pcap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A {@link WireMain} JVM inside a namespace of the lab: commands in, lines out (copied to a log). */
final class WireProcess {

    private final String name;
    private final Process process;
    private final PrintWriter commands;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private WireProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> pump(log), "wire-out-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    static WireProcess start(WireLab lab, WireLab.Host host, String name, Path logDir, String... extraArgs) {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                WireMain.class.getName(), name));
        cmd.addAll(List.of(extraArgs));
        try {
            Process p = new ProcessBuilder(concat(List.of("ip", "netns", "exec", host.ns()), cmd))
                    .redirectErrorStream(true).start();
            lab.track(p);
            Files.createDirectories(logDir);
            WireProcess wp = new WireProcess(name, p, logDir.resolve(name + ".log"));
            wp.await(l -> l.startsWith("READY"), Duration.ofSeconds(30));
            return wp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Sends a command and waits for its OK. */
    void command(String command) {
        int from = lines.size();
        commands.println(command);
        await(from, l -> l.equals("OK " + command), Duration.ofSeconds(20));
    }

    String await(Predicate<String> line, Duration atMost) {
        return await(0, line, atMost);
    }

    String await(int from, Predicate<String> line, Duration atMost) {
        String[] found = new String[1];
        org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(20)).alias(name + " prints a matching line; output:\n"
                + tail()).until(() -> {
                    // A snapshot first: a sub-list of the live list breaks when the reader appends meanwhile.
                    List<String> now = List.copyOf(lines);
                    Optional<String> hit = now.subList(Math.min(from, now.size()), now.size()).stream()
                            .filter(line).findFirst();
                    hit.ifPresent(h -> found[0] = h);
                    return hit.isPresent();
                });
        return found[0];
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The value of a METRIC line for (name, ip), or -1 if the series does not exist. */
    long metric(String metric, String ip) {
        int from = lines.size();
        command("metrics");
        List<String> now = List.copyOf(lines);
        return now.subList(from, now.size()).stream().filter(l -> l.startsWith("METRIC " + metric + " " + ip + " "))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    /** The wire's capture filter state ({@code passes=N|all ready=[sizes]}). */
    String filter() {
        int from = lines.size();
        command("filter");
        List<String> now = List.copyOf(lines);
        return now.subList(from, now.size()).stream().filter(l -> l.startsWith("FILTER "))
                .map(l -> l.substring("FILTER ".length())).findFirst().orElseThrow();
    }

    long pid() {
        return process.pid();
    }

    void quit() {
        commands.println("quit");
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    String tail() {
        List<String> all = List.copyOf(lines);
        return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    }

    private void pump(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                out.println(line);
                out.flush();
            }
        } catch (IOException e) {
            lines.add("(output closed: " + e + ")");
        }
    }
}
