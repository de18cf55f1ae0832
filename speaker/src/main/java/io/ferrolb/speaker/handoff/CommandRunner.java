package io.ferrolb.speaker.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The handoffs' seam towards the node: runs one command (iptables, ipvsadm, ip) and returns what
 * it printed. Tests pass a fake that records the commands and plays the kernel's part.
 */
@FunctionalInterface
public interface CommandRunner {

    /** What a finished command printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code argv} and waits for it; a command that cannot start is exit code 127. */
    Result run(List<String> argv);

    /** Runs {@code argv} with {@code input} on its standard input (iptables-restore) and waits for it. */
    default Result run(List<String> argv, String input) {
        throw new UnsupportedOperationException("this runner takes no input: " + String.join(" ", argv));
    }

    /** Runs commands as processes of this host, each bounded to {@code timeoutSeconds}. */
    static CommandRunner system(long timeoutSeconds) {
        return new CommandRunner() {
            @Override
            public Result run(List<String> argv) {
                return run(argv, "");
            }

            @Override
            public Result run(List<String> argv, String input) {
                return runProcess(argv, input, timeoutSeconds);
            }
        };
    }

    private static Result runProcess(List<String> argv, String input, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            // Readers first: a command that writes while we still feed it must not block on a full pipe.
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            try (var stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException earlyExit) {
                // The command stopped reading (it failed on an earlier line): its exit code says why.
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, "", "timed out after " + timeoutSeconds + " s: " + String.join(" ", argv));
            }
            return new Result(p.exitValue(), out.get(), err.get());
        } catch (IOException e) {
            return new Result(127, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "", "interrupted");
        } catch (ExecutionException e) {
            return new Result(1, "", e.getCause().toString());
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
