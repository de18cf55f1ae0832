package io.ferrolb.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process of the lab (a speaker, a webpod, the controller...), optionally inside a network
 * namespace. {@code ip netns exec} replaces itself with the command, so the PID we hold is the
 * program's own and a signal reaches it directly. Output goes to a log file of its own.
 */
public final class LabProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final PidFile pids;

    private LabProcess(String name, Process process, Path log, PidFile pids) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pids = pids;
    }

    /** Starts {@code command} in {@code namespace} (null: the root namespace), output to {@code log}. */
    public static LabProcess start(String name, String namespace, List<String> command, Path log, PidFile pids) {
        List<String> full = new ArrayList<>();
        if (namespace != null) {
            full.addAll(List.of("ip", "netns", "exec", namespace));
        }
        full.addAll(command);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(ChartJvm.environment());
            Process p = builder.start();
            pids.record(p.pid(), name);
            return new LabProcess(name, p, log, pids);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** A java command line for this JVM's own classes (webpod, prober), small and quick to start. */
    public static List<String> javaMain(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx32m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL, as a crashed node; returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
        pids.forget(pid());
    }

    /** SIGTERM and return at once (the graceful path runs while the caller measures). */
    public void signalTerm() {
        process.destroy();
    }

    /** Waits for the process to end; SIGKILL if it takes longer than {@code grace}. */
    public void awaitExit(Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        pids.forget(pid());
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** The last lines of the log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            signalTerm();
            awaitExit(Duration.ofSeconds(15));
        }
        pids.forget(pid());
    }

    @Override
    public String toString() {
        return name + "(pid " + pid() + ")";
    }
}
