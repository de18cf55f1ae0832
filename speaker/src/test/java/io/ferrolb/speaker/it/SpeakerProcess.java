package io.ferrolb.speaker.it;

import io.ferrolb.testkit.ControlPlaneBinaries;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A speaker as its own process ({@code java -jar}), stopped by its PID: SIGTERM or SIGKILL. */
final class SpeakerProcess implements AutoCloseable {

    private static final Pattern ANNOUNCED =
            Pattern.compile("^metallb_speaker_announced\\{([^}]*)\\} 1\\.0$", Pattern.MULTILINE);
    private static final Pattern IP = Pattern.compile("ip=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    final String node;
    private final Process process;
    private final int port;

    private SpeakerProcess(String node, Process process, int port) {
        this.node = node;
        this.process = process;
        this.port = port;
    }

    static SpeakerProcess start(SpeakerCluster cluster, int index, Path logDir) throws IOException {
        Path jar;
        try (var files = Files.list(ControlPlaneBinaries.repositoryRoot().resolve("speaker/target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("ferrolb-speaker-.*\\.jar")
                    && !p.getFileName().toString().contains("sources")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("package the speaker first"));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String node = "n" + index;
        List<String> command = new ArrayList<>(List.of("java", "-Xmx128m", "-XX:+UseSerialGC", "-jar",
                jar.toString()));
        command.addAll(cluster.speakerArgs(index, port));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(node + ".log").toFile())).start();
        return new SpeakerProcess(node, process, port);
    }

    /** The addresses this speaker reports as announced, or empty while it does not answer. */
    Set<String> announced() {
        Set<String> out = new HashSet<>();
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = ANNOUNCED.matcher(body);
            while (m.find()) {
                Matcher ip = IP.matcher(m.group(1));
                if (ip.find()) {
                    out.add(ip.group(1));
                }
            }
        } catch (IOException e) {
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM and returns at once; {@link #awaitExit()} waits for the process to end. */
    void signalTerm() {
        process.destroy();
    }

    void awaitExit() throws InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            kill();
        }
    }

    void term() throws InterruptedException {
        signalTerm();
        awaitExit();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            term();
        }
    }
}
