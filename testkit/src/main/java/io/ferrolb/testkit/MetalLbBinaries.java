package io.ferrolb.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MetalLB's own controller and speaker, built from its Go module by
 * {@code tools/peers/metallb/build.sh} (cached; the first build takes minutes): the peer ferrolb's
 * differential tests and side-by-side benchmarks run against.
 */
public final class MetalLbBinaries {

    /** Overrides the lookup: a directory holding MetalLB's controller and speaker. */
    public static final String DIR_ENV = "FERROLB_METALLB_DIR";

    private static final String SCRIPT = "tools/peers/metallb/build.sh";

    private static Path cached;

    private MetalLbBinaries() {
    }

    /** The directory of the binaries, building them on first use. */
    public static synchronized Path directory() {
        if (cached == null) {
            String override = System.getenv(DIR_ENV);
            Path dir = override != null && !override.isBlank() ? Path.of(override) : BuildScript.run(SCRIPT);
            for (String name : new String[] {"controller", "speaker"}) {
                if (!Files.isExecutable(dir.resolve(name))) {
                    throw new IllegalStateException("no executable MetalLB " + name + " in " + dir);
                }
            }
            cached = dir;
        }
        return cached;
    }

    public static Path controller() {
        return directory().resolve("controller");
    }

    public static Path speaker() {
        return directory().resolve("speaker");
    }

    /** The MetalLB version the binaries are built at, from the build's go.mod. */
    public static String version() {
        return BuildScript.requiredVersion("tools/peers/metallb/go.mod", "go.universe.tf/metallb");
    }
}
