package io.ferrolb.e2e.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** The controller under benchmark, ferrolb's or MetalLB's, as its own process. */
interface BenchController extends AutoCloseable {

    /** Waits until the controller says it is ready; returns the time since its process started. */
    Duration awaitReady(Duration timeout) throws Exception;

    /** Its own timing metrics worth printing, one line (empty when it has none). */
    String timers() throws Exception;

    /** Resident set size and its peak, in MiB. */
    long[] rssMiB();

    long pid();

    @Override
    void close() throws InterruptedException;

    /**
     * Polls {@code url} until it answers 200 and returns the time since {@code startedNanos};
     * {@code death} names why the process is gone, null while it runs.
     */
    static Duration awaitHttpOk(String url, long startedNanos, Supplier<String> death, Duration timeout)
            throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String dead = death.get();
            if (dead != null) {
                throw new IllegalStateException("controller exited: " + dead);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("controller not ready at " + url + " in " + timeout);
    }
}
