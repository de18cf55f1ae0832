package io.ferrolb.e2e.bench;

import io.ferrolb.e2e.lab.ProcStatus;
import io.ferrolb.testkit.ControlPlane;
import io.ferrolb.testkit.MetalLbController;
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

    /** Starts the controller; its start time is when its process is spawned, after MetalLB's CRDs are applied. */
    static MetalLbControllerProcess start(ControlPlane plane) {
        MetalLbController controller = MetalLbController.start(plane, "metallb-system");
        return new MetalLbControllerProcess(controller, System.nanoTime());
    }

    @Override
    public Duration awaitReady(Duration timeout) throws Exception {
        return BenchController.awaitHttpOk(controller.readyzUrl(), started,
                () -> controller.isAlive() ? null : controller.logTail(20), timeout);
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
