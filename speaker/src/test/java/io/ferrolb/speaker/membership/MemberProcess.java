package io.ferrolb.speaker.membership;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link MemberMain} child JVM: its stdout is parsed into {@link ViewLine}s and copied to a log
 * file. Stopped by its own PID only: {@link #kill()} is SIGKILL, {@link #terminate()} SIGTERM.
 */
final class MemberProcess implements AutoCloseable {

    private static final Pattern VIEW = Pattern.compile("^VIEW ts=(\\d+) joined=(\\w+) alive=(.*)$");

    /** One VIEW line: when, whether joined, the alive names. */
    record ViewLine(long ts, boolean joined, Set<String> alive) {
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final List<ViewLine> views = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private MemberProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::pump, "out-" + name + "-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static MemberProcess start(String name, List<String> args, Path logDir) {
        return start(name, List.of(), args, logDir);
    }

    /** Starts the member behind {@code launcher} (e.g. {@code ip netns exec NS}, which execs: the PID stays the JVM's). */
    static MemberProcess start(String name, List<String> launcher, List<String> args, Path logDir) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), MemberMain.class.getName(), "name=" + name));
        command.addAll(args);
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + "-" + System.nanoTime() + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new MemberProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                out.println(line);
                out.flush();
                Matcher m = VIEW.matcher(line);
                if (m.matches()) {
                    Set<String> alive = m.group(3).isEmpty() ? Set.of() : Set.of(m.group(3).split(","));
                    views.add(new ViewLine(Long.parseLong(m.group(1)), Boolean.parseBoolean(m.group(2)), alive));
                }
            }
        } catch (IOException e) {
            lines.add("(output closed: " + e + ")");
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The latest view, or just this member before the first VIEW line. */
    Set<String> alive() {
        return views.isEmpty() ? Set.of(name) : views.get(views.size() - 1).alive();
    }

    boolean joined() {
        return !views.isEmpty() && views.get(views.size() - 1).joined();
    }

    List<ViewLine> views() {
        return List.copyOf(views);
    }

    /** The first view line at or after {@code fromMillis} that lacks {@code member}, or null. */
    ViewLine firstViewWithout(String member, long fromMillis) {
        return views.stream().filter(v -> v.ts() >= fromMillis && !v.alive().contains(member)).findFirst().orElse(null);
    }

    /** Whether a machine-readable line starting with {@code prefix} was printed. */
    boolean printed(String prefix) {
        return lines.stream().anyMatch(l -> l.startsWith(prefix));
    }

    /** Whether any output line (log lines included) contains {@code text}. */
    boolean logged(String text) {
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    /** SIGKILL by PID, then reap. */
    void kill() {
        process.destroyForcibly();
        waitExit();
    }

    /**
     * SIGTERM by PID: the JVM runs its shutdown hook, which leaves the group. Does not wait. Through
     * the ProcessHandle, because {@link Process#destroy()} also closes our end of the child's stdout,
     * and we want to read what it prints while it leaves.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    void waitExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of output, for assertion messages. */
    String tail(int count) {
        List<String> all = List.copyOf(lines);
        return name + " (pid " + process.pid() + ", log " + log + "):\n"
                + String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        waitExit();
    }

    @Override
    public String toString() {
        return name + "(pid " + process.pid() + ")";
    }

    static List<String> args(String... keyValues) {
        return Arrays.asList(keyValues);
    }
}
