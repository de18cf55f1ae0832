package io.ferrolb.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A running {@link ArpProber} in the client and what it has seen so far: for every VIP, the sets
 * of MACs that answered it, round by round (only the changes are logged), and every round in which
 * two or more MACs answered one request.
 */
public final class ArpWatch implements AutoCloseable {

    /** From round {@code round} (started at {@code epochMs}) on, {@code macs} answer for {@code vip}. */
    public record Change(long round, long epochMs, String vip, Set<String> macs) {
    }

    /** Two or more MACs answered one round's request for {@code vip}. */
    public record Double(long round, long epochMs, String vip, Set<String> macs) {
    }

    private final LabProcess process;
    private final Path log;
    private final int intervalMs;
    private final List<Change> changes = new ArrayList<>();
    private final List<Double> doubles = new ArrayList<>();
    private final Map<String, Set<String>> current = new HashMap<>();
    private long lastRound = -1;
    private long lastRoundEpochMs;
    private long offset;

    private ArpWatch(LabProcess process, Path log, int intervalMs) {
        this.process = process;
        this.log = log;
        this.intervalMs = intervalMs;
    }

    /** Starts probing every VIP of {@code vips} every {@code intervalMs} from the client. */
    public static ArpWatch start(Path dir, PidFile pids, String name, List<String> vips, int intervalMs) {
        try {
            Path list = dir.resolve(name + ".vips");
            Files.write(list, vips);
            Path log = dir.resolve(name + ".log");
            Files.deleteIfExists(log);
            LabProcess p = LabProcess.start(name, Topology.CLIENT, LabProcess.javaMain(ArpProber.class.getName(),
                    "eth0", Topology.CLIENT_IP, Topology.mac(Topology.CLIENT_IP), String.valueOf(intervalMs),
                    list.toString()), log, pids);
            return new ArpWatch(p, log, intervalMs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what the prober logged since the last call. */
    public synchronized ArpWatch refresh() {
        try (SeekableByteChannel ch = Files.newByteChannel(log)) {
            ch.position(offset);
            ByteBuffer buf = ByteBuffer.allocate((int) Math.max(0, ch.size() - offset));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read what is there
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return this;
            }
            offset += end + 1;
            for (String line : text.substring(0, end).split("\n")) {
                parse(line);
            }
        } catch (IOException e) {
            if (!Files.exists(log)) {
                return this;
            }
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private void parse(String line) {
        String[] f = line.strip().split(" ");
        // The prober's own lines only; its libraries log to the same output.
        if (f.length < 3 || !(f[0].equals("A") || f[0].equals("D") || f[0].equals("R"))
                || !f[1].chars().allMatch(Character::isDigit) || !f[2].chars().allMatch(Character::isDigit)) {
            return;
        }
        long round = Long.parseLong(f[1]);
        long epochMs = Long.parseLong(f[2]);
        if (round > lastRound) {
            lastRound = round;
            lastRoundEpochMs = epochMs;
        }
        switch (f[0]) {
            case "A" -> {
                Set<String> macs = f[4].equals("-") ? Set.of() : Set.of(f[4].split(","));
                changes.add(new Change(round, epochMs, f[3], macs));
                current.put(f[3], macs);
            }
            case "D" -> doubles.add(new Double(round, epochMs, f[3], Set.of(f[4].split(","))));
            default -> {
                // "R": a round marker, counted above
            }
        }
    }

    /** The MACs that answered each VIP in the latest round. */
    public synchronized Map<String, Set<String>> current() {
        return Map.copyOf(current);
    }

    public synchronized List<Change> changes() {
        return List.copyOf(changes);
    }

    /**
     * The changes of the rounds under way at {@code epochMs} or later. A round is stamped with its
     * start, and an answer that comes within the round under way at an event is that round's: a
     * filter on the stamp alone would miss a takeover faster than the rest of that round.
     */
    public synchronized List<Change> changesFrom(long epochMs) {
        return changes.stream().filter(c -> c.epochMs() + intervalMs > epochMs).toList();
    }

    public synchronized List<Double> doubles() {
        return List.copyOf(doubles);
    }

    /** The latest round the prober finished, and when it started (epoch ms). */
    public synchronized long lastRound() {
        return lastRound;
    }

    public synchronized long lastRoundEpochMs() {
        return lastRoundEpochMs;
    }

    public boolean alive() {
        return process.alive();
    }

    @Override
    public void close() {
        process.kill();
    }
}
