package io.ferrolb.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the cluster lab runs besides the control plane, built on first use: kubelet, kube-proxy,
 * kube-scheduler, kube-controller-manager and helm ({@code tools/cluster/build.sh}, cached), and the
 * OCI image archives of the controller, the speaker and the lab's pause and web images
 * ({@code tools/images/build.sh --skip-maven}, {@code tools/images/lab/build.sh}; the jars must be
 * packaged already).
 */
public final class ClusterBinaries {

    private static Path binaries;
    private static Path images;

    private ClusterBinaries() {
    }

    public static synchronized Path directory() {
        if (binaries == null) {
            Path dir = BuildScript.run("tools/cluster/build.sh");
            for (String name : new String[] {"kubelet", "kube-proxy", "kube-scheduler", "kube-controller-manager",
                    "helm"}) {
                if (!Files.isExecutable(dir.resolve(name))) {
                    throw new IllegalStateException("no executable " + name + " in " + dir);
                }
            }
            binaries = dir;
        }
        return binaries;
    }

    /** The directory holding {@code controller-<version>.oci.tar}, the speaker's, pause's and web's. */
    public static synchronized Path images() {
        if (images == null) {
            BuildScript.run("tools/images/build.sh", "--skip-maven");
            images = BuildScript.run("tools/images/lab/build.sh");
        }
        return images;
    }
}
