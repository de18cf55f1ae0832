package io.ferrolb.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PIDs the lab started, with each process's start time from {@code /proc}, so that
 * {@code lab down} can stop what a crashed {@code lab up} left running without ever signalling an
 * unrelated process that reused a PID.
 */
public final class PidFile {

    /** One recorded process. */
    public record Entry(long pid, String startTime, String name) {
        String line() {
            return pid + " " + startTime + " " + name;
        }

        static Entry parse(String line) {
            String[] parts = line.strip().split(" ", 3);
            return new Entry(Long.parseLong(parts[0]), parts[1], parts.length > 2 ? parts[2] : "?");
        }

        /** Still the process we started: same PID and same start time. */
        boolean running() {
            return startTimeOf(pid).map(startTime::equals).orElse(false);
        }
    }

    private final Path file;

    public PidFile(Path file) {
        this.file = file;
    }

    public synchronized void record(long pid, String name) {
        String start = startTimeOf(pid).orElse("0");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, new Entry(pid, start, name).line() + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void forget(long pid) {
        List<Entry> kept = entries().stream().filter(e -> e.pid() != pid).toList();
        write(kept);
    }

    public synchronized List<Entry> entries() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Entry> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(Entry.parse(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops every recorded process that still runs (SIGTERM, then SIGKILL after 10 s) and empties
     * the file; returns what it stopped.
     */
    public synchronized List<Entry> stopAll() {
        List<Entry> stopped = new ArrayList<>();
        for (Entry e : entries()) {
            if (!e.running()) {
                continue;
            }
            ProcessHandle.of(e.pid()).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception timeout) {
                    h.destroyForcibly();
                }
            });
            stopped.add(e);
        }
        write(List.of());
        return stopped;
    }

    private void write(List<Entry> entries) {
        try {
            Files.createDirectories(file.getParent());
            StringBuilder b = new StringBuilder();
            entries.forEach(e -> b.append(e.line()).append('\n'));
            Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Field 22 of {@code /proc/<pid>/stat}: the start time in clock ticks since boot. */
    static Optional<String> startTimeOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name (field 2) may contain spaces; fields after it start past the last ')'.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(rest[19]);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
