package io.ferrolb.e2e.bench;

import java.time.Duration;

/** The controller under benchmark, ferrolb's or MetalLB's, as its own process. */
interface BenchController extends AutoCloseable {

    /** Waits until the controller says it is ready; returns the time since its process started. */
    Duration awaitReady(Duration timeout) throws Exception;

    /** Its own timing metrics worth printing, one line (empty when it has none). */
    String timers() throws Exception;

    /** Resident set size and its peak, in MiB. */
    long[] rssMiB();

    long pid();

    @Override
    void close() throws InterruptedException;
}
