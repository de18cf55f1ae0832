package io.ferrolb.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits for a starting child process to become usable, failing fast with its log when it exits.
 * The processes offer no readiness signal, so this polls every 50 ms, short enough not to add to
 * the start-up time being measured.
 */
final class StartupWait {

    private static final long POLL_MILLIS = 50;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /** One try: the result, or null with {@code lastProblem} set to say why not yet. */
    private interface Attempt<T> {
        T tryOnce() throws IOException, InterruptedException;
    }

    private final ManagedProcess owner;
    private final Duration timeout;
    private String lastProblem = "no answer";

    StartupWait(ManagedProcess owner, Duration timeout) {
        this.owner = owner;
        this.timeout = timeout;
    }

    void forFile(Path file) {
        until("the file " + file, () -> Files.isRegularFile(file) ? file : null);
    }

    /** The body of the first 200 answer to a GET. */
    String forHttpOk(HttpClient http, URI uri, String bearerToken) {
        return until(uri.toString(), () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
            if (bearerToken != null) {
                request.header("Authorization", "Bearer " + bearerToken);
            }
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() == 200) {
                return response.body();
            }
            lastProblem = response.statusCode() + " " + response.body();
            return null;
        });
    }

    private <T> T until(String what, Attempt<T> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!owner.isAlive()) {
                throw new IllegalStateException(owner + " exited while starting:\n" + owner.logTail(30));
            }
            T result = null;
            try {
                result = attempt.tryOnce();
            } catch (IOException e) {
                lastProblem = e.toString();
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
            if (result != null) {
                return result;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }
        throw new IllegalStateException(owner + ": no " + what + " after " + timeout + " (" + lastProblem + ")\n"
                + owner.logTail(30));
    }

    private IllegalStateException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException("interrupted while waiting for " + owner, e);
    }
}
