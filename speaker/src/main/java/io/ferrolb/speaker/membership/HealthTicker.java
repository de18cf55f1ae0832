package io.ferrolb.speaker.membership;

import java.util.concurrent.TimeUnit;

/**
 * The thread that feeds {@link LocalHealth}: it sleeps a tick at a time and tells the health how late
 * it woke up. A process starved of CPU wakes late, and then widens its own timeouts.
 */
final class HealthTicker implements AutoCloseable {

    private final LocalHealth health;
    private final Thread thread;

    HealthTicker(LocalHealth health) {
        this.health = health;
        this.thread = new Thread(this::run, "ferrolb-health");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long tick = LocalHealth.TICK.toNanos();
        while (!Thread.currentThread().isInterrupted()) {
            long due = System.nanoTime() + tick;
            try {
                TimeUnit.NANOSECONDS.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            health.tick(due, System.nanoTime());
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
