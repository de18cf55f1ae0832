package io.ferrolb.e2e.bench;

import io.ferrolb.e2e.lab.ProcStatus;
import io.ferrolb.testkit.ControlPlane;
import io.ferrolb.testkit.MetalLbController;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * MetalLB v0.16.1's controller under the same benchmark. Its {@code /readyz} only says the process
 * serves (it has no "every Service handled" readiness), so its restart time is not comparable.
 */
final class MetalLbControllerProcess implements BenchController {

    private final MetalLbController controller;
    private final long started;

    private MetalLbControllerProcess(MetalLbController controller, long started) {
        this.controller = controller;
        this.started = started;
    }

    static MetalLbControllerProcess start(ControlPlane plane) {
        long started = System.nanoTime();
        return new MetalLbControllerProcess(MetalLbController.start(plane, "metallb-system"), started);
    }

    @Override
    public Duration awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!controller.isAlive()) {
                throw new IllegalStateException("MetalLB's controller exited: " + controller.logTail(20));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(controller.readyzUrl())).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("MetalLB's controller not ready in " + timeout);
    }

    @Override
    public String timers() {
        return "";
    }

    @Override
    public long[] rssMiB() {
        return new long[] {ProcStatus.rssKib(controller.pid()) / 1024, ProcStatus.peakRssKib(controller.pid()) / 1024};
    }

    @Override
    public long pid() {
        return controller.pid();
    }

    @Override
    public void close() {
        controller.close();
    }
}
