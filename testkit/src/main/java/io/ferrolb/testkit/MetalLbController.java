package io.ferrolb.testkit;

import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MetalLB's real controller (built by {@link MetalLbBinaries}) serving one {@link ControlPlane}:
 * MetalLB's own CRDs from its Go module are installed first, the webhook is off (as ferrolb's
 * controller runs in the tests it is compared with), metrics and health on free local ports. Stopped
 * by its own process handle on {@link #close()}, or by a shutdown hook.
 */
public final class MetalLbController implements AutoCloseable {

    private final ManagedProcess process;
    private final Path log;
    private final int healthPort;
    private final Thread shutdownHook;

    private MetalLbController(ManagedProcess process, Path log, int healthPort) {
        this.process = process;
        this.log = log;
        this.healthPort = healthPort;
        this.shutdownHook = new Thread(process::close, "metallb-controller-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The controller's Pod object: MetalLB reads its own Pod at start (owner of what it creates). */
    public static final String POD = "metallb-controller";

    /**
     * Installs MetalLB's CRDs, the namespace and the controller's Pod object (as the kubelet's part
     * of a Deployment, never run: the controller runs as a process here) and starts the controller.
     */
    public static MetalLbController start(ControlPlane plane, String namespace, String... extraFlags) {
        plane.installCrds(MetalLbSource.module(MetalLbBinaries.version()).resolve("config/crd/bases"));
        plane.ensureNamespace(namespace);
        if (plane.client().pods().inNamespace(namespace).withName(POD).get() == null) {
            plane.client().pods().inNamespace(namespace).resource(new PodBuilder()
                    .withNewMetadata().withNamespace(namespace).withName(POD)
                    .addToLabels("app", "metallb").addToLabels("component", "controller").endMetadata()
                    .withNewSpec().addNewContainer().withName("controller")
                    .withImage("quay.io/metallb/controller:" + MetalLbBinaries.version()).endContainer().endSpec()
                    .build()).create();
        }
        Path log = plane.directory().resolve("metallb-controller.log");
        try {
            int healthPort = ControlPlane.freePort();
            List<String> command = new ArrayList<>(command(plane.kubeconfig(), namespace, ControlPlane.freePort(),
                    healthPort));
            command.addAll(List.of(extraFlags));
            return new MetalLbController(ManagedProcess.start("metallb-controller", command, log), log, healthPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its health endpoint, {@code /readyz} (on all local addresses: MetalLB has no bind flag for it). */
    public String readyzUrl() {
        return "http://127.0.0.1:" + healthPort + "/readyz";
    }

    /**
     * The controller's command line with the webhook off, metrics on {@code port} and
     * {@code /readyz} on {@code healthPort} (MetalLB binds both on every local address).
     */
    public static List<String> command(Path kubeconfig, String namespace, int port, int healthPort) {
        return List.of(MetalLbBinaries.controller().toString(), "--kubeconfig=" + kubeconfig,
                "--namespace=" + namespace, "--pod-name=" + POD, "--webhook-mode=disabled", "--disable-cert-rotation",
                "--port=" + port, "--health-probe-port=" + healthPort, "--log-level=info");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** The last lines of its log, for failure messages. */
    public String logTail(int lines) {
        return process.logTail(lines);
    }

    @Override
    public void close() {
        process.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs (or ran) already.
        }
    }
}
