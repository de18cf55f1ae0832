package io.ferrolb.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the kube-apiserver, etcd and kubectl binaries built by {@code tools/controlplane/build.sh}.
 * The script returns at once when its cache holds them and builds them (minutes) when not, so a
 * test run on a fresh machine still gets a real control plane.
 */
public final class ControlPlaneBinaries {

    /** Overrides the lookup: a directory holding kube-apiserver, etcd and kubectl. */
    public static final String DIR_ENV = "FERROLB_CONTROLPLANE_DIR";

    private static final String SCRIPT = "tools/controlplane/build.sh";

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
        return requireBinaries(BuildScript.run(SCRIPT));
    }

    /**
     * The Kubernetes version the control plane is built at (for example {@code v1.34.4}), read from
     * the build's go.mod without building anything; what Helm should render the chart for.
     */
    public static String kubernetesVersion() {
        return BuildScript.requiredVersion("tools/controlplane/kube/go.mod", "k8s.io/kubernetes");
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
