package io.ferrolb.e2e.bench;

import io.ferrolb.e2e.lab.ChartJvm;
import io.ferrolb.e2e.lab.ProcStatus;
import io.ferrolb.testkit.ControlPlane;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The controller as its own process ({@code java -jar}), as it runs in a cluster. */
final class ControllerProcess implements BenchController {

    private final Process process;
    private final int port;
    private final long started;

    private ControllerProcess(Process process, int port, long started) {
        this.process = process;
        this.port = port;
        this.started = started;
    }

    static ControllerProcess start(ControlPlane plane, Path log, List<String> jvm, String... extra)
            throws IOException {
        Path jar;
        try (var files = Files.list(ControlPlaneBinaries.repositoryRoot().resolve("controller/target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("ferrolb-controller-.*\\.jar")
                    && !p.getFileName().toString().contains("sources")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build the controller first (mvn package)"));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvm);
        command.addAll(List.of("-jar", jar.toString(),
                "--kubeconfig", plane.kubeconfig().toString(), "--namespace", "metallb-system",
                "--bind-address", "127.0.0.1", "--port", String.valueOf(port), "--webhook-mode", "disabled",
                "--leader-elect=false"));
        command.addAll(List.of(extra));
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(ChartJvm.environment());
        Process process = builder.start();
        return new ControllerProcess(process, port, started);
    }

    /** Waits for {@code /readyz}: configuration loaded and every existing Service handled once. */
    @Override
    public Duration awaitReady(Duration timeout) throws Exception {
        return BenchController.awaitHttpOk("http://127.0.0.1:" + port + "/readyz", started,
                () -> process.isAlive() ? null : "exit code " + process.exitValue(), timeout);
    }

    @Override
    public String timers() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : metrics().split("\n")) {
            if (line.startsWith("ferrolb_controller_")) {
                lines.add(line);
            }
        }
        return String.join("; ", lines);
    }

    String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Resident set size and its peak, in MiB, from /proc. */
    @Override
    public long[] rssMiB() {
        return new long[] {ProcStatus.rssKib(process.pid()) / 1024, ProcStatus.peakRssKib(process.pid()) / 1024};
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
