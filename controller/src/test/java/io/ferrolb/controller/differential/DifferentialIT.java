package io.ferrolb.controller.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.controller.it.Harness;
import io.ferrolb.testkit.ControlPlane;
import io.ferrolb.testkit.MetalLbBinaries;
import io.ferrolb.testkit.MetalLbController;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The differential controller test: random valid sequences of pool, Service and namespace changes
 * applied in the same order to two API servers, one served by MetalLB's real controller (built from
 * its Go module) and one by ferrolb's; after every step both must show the same ingress IPs, pool
 * annotation, event reasons and pool counters. A failure is shrunk to a minimal sequence and
 * reported with its seed.
 *
 * <p>{@code -Ddifferential.sequences=N -Ddifferential.steps=M -Ddifferential.seed=S} choose the run
 * (defaults 20 × 25 from seed 1, the CI run); sequence {@code i} is generated from seed {@code S + i};
 * {@code -Ddifferential.all=true} goes on after a difference; {@code -Ddifferential.shrinkRuns=R} bounds
 * the reruns spent shrinking one (default 60).
 */
class DifferentialIT {

    private static final int SEQUENCES = Integer.getInteger("differential.sequences", 20);
    private static final int STEPS = Integer.getInteger("differential.steps", 25);
    private static final long SEED = Long.getLong("differential.seed", 1);
    /** Go on after a difference (a long run reports them all); CI stops at the first. */
    private static final boolean ALL = Boolean.getBoolean("differential.all");
    /** Reruns a shrink may spend on one difference. */
    private static final int SHRINK_RUNS = Integer.getInteger("differential.shrinkRuns", 60);

    private static ControlPlane metallbPlane;
    private static ControlPlane ferrolbPlane;
    private static MetalLbController metallb;
    private static Harness ferrolb;

    @BeforeAll
    static void start() throws Exception {
        metallbPlane = ControlPlane.start();
        metallb = MetalLbController.start(metallbPlane, Side.NAMESPACE);
        ferrolbPlane = ControlPlane.start();
        ferrolb = new Harness(ferrolbPlane);
        ferrolb.startController();
    }

    @AfterAll
    static void stop() {
        if (ferrolb != null) {
            ferrolb.stopAll();
        }
        if (metallb != null) {
            metallb.close();
        }
        if (ferrolbPlane != null) {
            ferrolbPlane.close();
        }
        if (metallbPlane != null) {
            metallbPlane.close();
        }
    }

    @Test
    void ferrolbAllocatesAsMetalLbDoes() throws Exception {
        Differential differential = new Differential(new Side("metallb", metallbPlane.client()),
                new Side("ferrolb", ferrolbPlane.client()), "d" + SEED);
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < SEQUENCES && (ALL || failures.isEmpty()); i++) {
            long seed = SEED + i;
            List<Step> steps = new StepGenerator(seed).sequence(STEPS);
            Optional<Differential.Difference> difference = differential.run(steps);
            if (difference.isPresent()) {
                assertThat(metallb.isAlive()).as("MetalLB's controller is running:\n" + metallb.logTail(30)).isTrue();
                String found = "seed " + seed + " (MetalLB " + MetalLbBinaries.version() + "), as generated:\n"
                        + difference.get().report();
                // A long run prints each difference when found: its shrink may take minutes.
                System.out.println("[differential] difference, " + found);
                Differential.Difference minimal = differential.shrink(difference.get(), SHRINK_RUNS);
                String shrunk = "shrunk to " + (minimal.step() + 1) + " steps:\n" + minimal.report();
                System.out.println("[differential] seed " + seed + " " + shrunk);
                failures.add(found + shrunk);
            }
            if ((i + 1) % 25 == 0) {
                System.out.printf("[differential] %d of %d sequences, %d steps, %d differences, %d s%n", i + 1,
                        SEQUENCES, differential.stepsApplied(), failures.size(),
                        (System.nanoTime() - started) / 1_000_000_000L);
            }
        }
        System.out.printf("[differential] %d sequences x %d steps from seed %d: %d steps applied in %d s, %d ended"
                + " early on MetalLB's reprocessing order (%d of them explained by an order of the competing Services,"
                + " %d when a rerun of MetalLB gave ferrolb's answer), %d differences%n", SEQUENCES, STEPS, SEED,
                differential.stepsApplied(), (System.nanoTime() - started) / 1_000_000_000L, differential.reordered(),
                differential.explainedByOrder(), differential.agreedOnRerun(), failures.size());
        assertThat(failures).as(String.join("\n", failures)).isEmpty();
    }
}
