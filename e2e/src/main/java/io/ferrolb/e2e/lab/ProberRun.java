package io.ferrolb.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A running prober and the attempts it has logged so far. */
public final class ProberRun implements AutoCloseable {

    /** One attempt: when it started, whether it got an answer, from which node (or why not), to which address. */
    public record Attempt(long epochMs, String kind, boolean ok, String detail, long ms, String ip) {
        static Attempt parse(String line) {
            String[] f = line.strip().split(" ");
            return new Attempt(Long.parseLong(f[0]), f[1], f[2].equals("ok"), f[3], Long.parseLong(f[4]), f[5]);
        }
    }

    private final LabProcess process;
    private final Path log;
    private final List<Attempt> seen = new ArrayList<>();
    private long offset;

    ProberRun(LabProcess process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Every attempt logged so far, in log order; reads only what was appended since the last call. */
    public synchronized List<Attempt> attempts() {
        try {
            if (Files.exists(log)) {
                try (SeekableByteChannel ch = Files.newByteChannel(log)) {
                    ch.position(offset);
                    ByteBuffer buf = ByteBuffer.allocate((int) Math.max(0, ch.size() - offset));
                    while (buf.hasRemaining() && ch.read(buf) > 0) {
                        // read what is there
                    }
                    String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
                    int end = text.lastIndexOf('\n');
                    if (end >= 0) {
                        offset += end + 1;
                        for (String line : text.substring(0, end).split("\n")) {
                            if (line.matches("\\d+ (new|held) (ok|fail) \\S+ \\d+ \\S+")) {
                                seen.add(Attempt.parse(line));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(seen);
    }

    /** Waits until the prober has logged a successful attempt started at or after {@code sinceEpochMs}. */
    public Attempt awaitSuccess(long sinceEpochMs, Duration timeout) {
        return Await.value("a successful probe", timeout, () -> attempts().stream()
                .filter(a -> a.ok() && a.epochMs() >= sinceEpochMs).findFirst().orElse(null), a -> true);
    }

    @Override
    public void close() {
        process.kill();
    }
}
