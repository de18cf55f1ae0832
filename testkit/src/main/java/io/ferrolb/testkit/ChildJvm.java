package io.ferrolb.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a main class in a JVM of its own, on the test's classpath: for exit codes and what it prints. */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** Runs {@code mainClass} with {@code args} and waits at most {@code timeoutSeconds}. */
    public static CommandResult run(Class<?> mainClass, long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p, false));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p, true));
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException(mainClass.getSimpleName() + " " + String.join(" ", args)
                        + " still ran after " + timeoutSeconds + " s; stderr so far:\n" + err.getNow(""));
            }
            return new CommandResult(p.exitValue(), out.get(), err.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String read(Process p, boolean stderr) {
        try (var in = stderr ? p.getErrorStream() : p.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
