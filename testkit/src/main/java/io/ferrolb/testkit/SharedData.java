package io.ferrolb.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The compatibility data next to the checkout ({@code ../shared/metallb}): MetalLB's CRDs, sample
 * and documentation manifests, election vectors.
 */
public final class SharedData {

    /** Overrides the location of the {@code metallb} data directory. */
    public static final String DIR_ENV = "FERROLB_METALLB_DATA";

    private SharedData() {
    }

    public static Path metallb() {
        String override = System.getenv(DIR_ENV);
        Path dir = override != null && !override.isBlank()
                ? Path.of(override)
                : ControlPlaneBinaries.repositoryRoot().resolve("../shared/metallb").normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("MetalLB compatibility data not found at " + dir
                    + " (expected ../shared/metallb next to the checkout, or set " + DIR_ENV + ")");
        }
        return dir;
    }
}
