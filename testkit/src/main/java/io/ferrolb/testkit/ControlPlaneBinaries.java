package io.ferrolb.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Finds the kube-apiserver, etcd and kubectl binaries built by {@code tools/controlplane/build.sh}.
 * The script returns at once when its cache holds them and builds them (minutes) when not, so a
 * test run on a fresh machine still gets a real control plane.
 */
public final class ControlPlaneBinaries {

    /** Overrides the lookup: a directory holding kube-apiserver, etcd and kubectl. */
    public static final String DIR_ENV = "FERROLB_CONTROLPLANE_DIR";

    private static final String SCRIPT = "tools/controlplane/build.sh";
    private static final long BUILD_TIMEOUT_MINUTES = 30;

    private static Path cached;

    private ControlPlaneBinaries() {
    }

    /** The directory of the binaries, building them on first use. */
    public static synchronized Path directory() {
        if (cached == null) {
            cached = locate();
        }
        return cached;
    }

    public static Path kubeApiserver() {
        return directory().resolve("kube-apiserver");
    }

    public static Path etcd() {
        return directory().resolve("etcd");
    }

    public static Path kubectl() {
        return directory().resolve("kubectl");
    }

    private static Path locate() {
        String override = System.getenv(DIR_ENV);
        if (override != null && !override.isBlank()) {
            return requireBinaries(Path.of(override));
        }
        Path script = repositoryRoot().resolve(SCRIPT);
        try {
            Process build = new ProcessBuilder("bash", script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            byte[] out = build.getInputStream().readAllBytes();
            if (!build.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                build.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " did not finish in " + BUILD_TIMEOUT_MINUTES + " min");
            }
            if (build.exitValue() != 0) {
                throw new IllegalStateException(SCRIPT + " failed with exit code " + build.exitValue());
            }
            String printed = new String(out, StandardCharsets.UTF_8).strip();
            String lastLine = printed.substring(printed.lastIndexOf('\n') + 1);
            return requireBinaries(Path.of(lastLine));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the control plane", e);
        }
    }

    /**
     * The Kubernetes version the control plane is built at (for example {@code v1.34.4}), read from
     * the build's go.mod without building anything; what Helm should render the chart for.
     */
    public static String kubernetesVersion() {
        Path goMod = repositoryRoot().resolve("tools/controlplane/kube/go.mod");
        try {
            return Files.readAllLines(goMod).stream().map(String::strip)
                    .filter(l -> l.startsWith("require k8s.io/kubernetes "))
                    .map(l -> l.split("\\s+")[2]).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no k8s.io/kubernetes in " + goMod));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The checkout's top directory: the first parent of the working directory holding the script. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(SCRIPT))) {
                return p;
            }
        }
        throw new IllegalStateException("no " + SCRIPT + " above " + dir);
    }

    private static Path requireBinaries(Path dir) {
        for (String name : new String[] {"kube-apiserver", "etcd", "kubectl"}) {
            if (!Files.isExecutable(dir.resolve(name))) {
                throw new IllegalStateException("no executable " + name + " in " + dir);
            }
        }
        return dir;
    }
}
