package io.ferrolb.common;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one task on a thread of its own whenever something asks for it, coalescing the asks: any
 * number of requests while a run is pending lead to one run, and a request that arrives during a
 * run leads to exactly one more run after it. For "something changed, recompute from the current
 * state" loops, where skipped intermediate states do not matter but the last one must be seen.
 */
public final class CoalescingRunner implements AutoCloseable {

    private final ScheduledExecutorService thread;
    private final Runnable task;
    private final AtomicBoolean queued = new AtomicBoolean();

    public CoalescingRunner(String threadName, Runnable task) {
        this.thread = Daemons.singleThread(threadName);
        this.task = task;
    }

    /** Runs the task soon, once for all requests made before it starts. A no-op once closed. */
    public void request() {
        if (queued.compareAndSet(false, true)) {
            try {
                thread.execute(this::run);
            } catch (RejectedExecutionException closed) {
                queued.set(false);
            }
        }
    }

    /** Requests a run after {@code delay} (a retry, a back-off). A no-op once closed. */
    public void requestAfter(Duration delay) {
        try {
            thread.schedule(this::request, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // nothing runs any more
        }
    }

    /** Requests a run every {@code period} from now on (a resync). */
    public void requestEvery(Duration period) {
        thread.scheduleWithFixedDelay(this::request, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() {
        return thread.isShutdown();
    }

    private void run() {
        // Cleared before the task reads anything: a change during the run asks for one more.
        queued.set(false);
        task.run();
    }

    /** Stops: no further runs start; a run in progress is interrupted. */
    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** Waits at most {@code timeout} for a run in progress to end after {@link #close()}; true if none runs. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
