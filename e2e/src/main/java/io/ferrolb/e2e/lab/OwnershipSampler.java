package io.ferrolb.e2e.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples what every reachable speaker says it announces (its metrics) every 25 ms and records each
 * moment in which two speakers announce one VIP. A speaker that cannot be reached counts as
 * announcing nothing, so suites that cut a node off check that node another way.
 */
public final class OwnershipSampler implements AutoCloseable {

    private static final long PERIOD_MS = 25;

    private final Lab lab;
    private final List<String> doubleOwnership = new CopyOnWriteArrayList<>();
    private final AtomicInteger samples = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    private OwnershipSampler(Lab lab) {
        this.lab = lab;
        this.thread = new Thread(this::run, "ownership-sampler");
        this.thread.setDaemon(true);
    }

    public static OwnershipSampler start(Lab lab) {
        OwnershipSampler sampler = new OwnershipSampler(lab);
        sampler.thread.start();
        return sampler;
    }

    /** Rounds taken so far (every speaker asked once per round). */
    public int samples() {
        return samples.get();
    }

    /** Every sample with two owners: {@code epochMs ip [nodes]}. */
    public List<String> doubleOwnership() {
        return List.copyOf(doubleOwnership);
    }

    private void run() {
        while (running) {
            Map<String, List<String>> owners = new HashMap<>();
            for (LabNode n : lab.nodes()) {
                Set<String> announced = n.announced();
                announced.forEach(ip -> owners.computeIfAbsent(ip, k -> new ArrayList<>()).add(n.name()));
            }
            owners.forEach((ip, nodes) -> {
                if (nodes.size() > 1) {
                    doubleOwnership.add(System.currentTimeMillis() + " " + ip + " " + nodes);
                }
            });
            samples.incrementAndGet();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
