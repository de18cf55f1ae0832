package io.ferrolb.e2e.lab;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** Prints the lab's progress: each step with the time since the start and how long it took. */
public final class Steps {

    private final PrintStream out;
    private final long started = System.nanoTime();

    public Steps(PrintStream out) {
        this.out = out;
    }

    public <T> T run(String title, Callable<T> step) {
        long t0 = System.nanoTime();
        out.printf("[%6.1f s] %s ...%n", seconds(started), title);
        out.flush();
        try {
            T result = step.call();
            out.printf("           done in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            return result;
        } catch (RuntimeException e) {
            out.printf("           FAILED after %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, e.getMessage());
            throw e;
        } catch (Exception e) {
            out.printf("           FAILED after %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, e.getMessage());
            throw new IllegalStateException(title + ": " + e.getMessage(), e);
        }
    }

    public void run(String title, ThrowingRunnable step) {
        run(title, () -> {
            step.run();
            return null;
        });
    }

    /** A line of the walkthrough, not a step. */
    public void say(String text) {
        out.println(text);
        out.flush();
    }

    public PrintStream out() {
        return out;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** A step without a result. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Text indented by three spaces, line by line, as the walkthroughs print command output. */
    public static String indent(String text) {
        return "   " + text.stripTrailing().replace("\n", "\n   ");
    }
}
