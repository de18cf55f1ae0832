package io.ferrolb.controller.differential;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs step sequences on two sides and finds where they disagree; shrinks a failing sequence to a
 * minimal one (delta debugging: drop chunks while the failure stays).
 *
 * <p>After each step both sides are polled until they agree and have not changed for
 * {@link #STABLE_POLLS} polls in a row; a side that is still working changes between polls. If they
 * do not agree within {@link #SETTLE}, or differ unchanged for {@link #DIFFERENT_POLLS} polls, that is
 * a difference.
 *
 * <p>One kind of difference is MetalLB's own nondeterminism: when a pool change makes it reprocess
 * every Service, v0.16.1 takes them in its cache's map order (sorted only by how many addresses they
 * hold), so Services competing for the same addresses get them in a different order per run. When
 * two or more Services were served in a step and the sides then differ in a way such an order can
 * explain ({@link Snapshot#sameUseOfPools}: every pool handed out as many addresses of each family),
 * the sequence ends there, counted in {@link #reordered()}: what follows would differ by consequence.
 * When competing Services differ in any other way (one side served a dual-stack Service, the other a
 * single-stack one), {@link OrderOracle} replays the step with ferrolb's pure allocator in every
 * order of the wanting Services: if some order gives MetalLB's answer and some order gives
 * ferrolb's, the sides differ only in order, counted the same way. Failing that, the sequence up to
 * that step is rerun up to {@link #RERUNS} times, and if MetalLB ever gives ferrolb's answer, the
 * difference was its order too.
 */
final class Differential {

    static final Duration POLL = Duration.ofMillis(100);
    static final int STABLE_POLLS = 3;
    /** Sides that differ and have not changed for this many polls (3 s) are done: a difference. */
    static final int DIFFERENT_POLLS = 30;
    static final Duration SETTLE = Duration.ofSeconds(15);
    /**
     * How often a difference among competing Services is rerun to see whether MetalLB ever agrees
     * ({@code -Ddifferential.reruns}). With k Services competing for the same addresses MetalLB
     * takes one of k! orders at random, so six reruns settle two or three competitors, not more.
     */
    static final int RERUNS = Integer.getInteger("differential.reruns", 6);

    /**
     * Where a sequence first disagreed.
     *
     * @param competing whether two or more Services were being served in that step
     */
    record Difference(int step, List<Step> steps, List<String> lines, boolean competing) {
        String report() {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i <= step; i++) {
                s.append(String.format("  %2d %s%n", i + 1, steps.get(i)));
            }
            lines.forEach(l -> s.append("    ").append(l).append('\n'));
            return s.toString();
        }
    }

    private final Side left;
    private final Side right;
    private final String runId;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();
    private final AtomicLong agreedOnRerun = new AtomicLong();
    private final AtomicLong explainedByOrder = new AtomicLong();
    private long stepsApplied;

    Differential(Side left, Side right, String runId) {
        this.left = left;
        this.right = right;
        this.runId = runId;
    }

    /** Sequences ended early because the sides differed only in which Services got which addresses. */
    long reordered() {
        return reordered.get();
    }

    /** Of {@link #reordered()}, those where MetalLB gave ferrolb's answer when the sequence was rerun. */
    long agreedOnRerun() {
        return agreedOnRerun.get();
    }

    /** Of {@link #reordered()}, those where {@link OrderOracle} found an order giving each side's answer. */
    long explainedByOrder() {
        return explainedByOrder.get();
    }

    long stepsApplied() {
        return stepsApplied;
    }

    /**
     * The first disagreement of this sequence, on fresh namespaces; a disagreement among competing
     * Services that goes away when the sequence is rerun is MetalLB's order, not a difference.
     */
    Optional<Difference> run(List<Step> steps) throws InterruptedException {
        Attempt first = attempt(steps);
        if (first.outcome() == Outcome.DIFFER && first.difference().competing()) {
            List<Step> prefix = steps.subList(0, first.difference().step() + 1);
            for (int i = 0; i < RERUNS; i++) {
                // Only a rerun that agrees all the way counts: one that ends early on another
                // reordering says nothing about this step.
                if (attempt(prefix).outcome() == Outcome.AGREE) {
                    agreedOnRerun.incrementAndGet();
                    reordered.incrementAndGet();
                    return Optional.empty();
                }
            }
        }
        if (first.outcome() == Outcome.REORDERED) {
            reordered.incrementAndGet();
            if (first.byOracle()) {
                explainedByOrder.incrementAndGet();
            }
        }
        return Optional.ofNullable(first.difference());
    }

    /** How a sequence ended: agreeing throughout, ended on a reordering, or at a difference. */
    private record Attempt(Outcome outcome, Difference difference, boolean byOracle) {
    }

    private Attempt attempt(List<Step> steps) throws InterruptedException {
        int run = (int) runs.incrementAndGet();
        String prefix = runId + "-" + run;
        left.begin(prefix, run);
        right.begin(prefix, run);
        try {
            Snapshot agreed = new Snapshot(java.util.Map.of(), java.util.Map.of());
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                Optional<String> l = left.apply(step);
                Optional<String> r = right.apply(step);
                stepsApplied++;
                if (!l.equals(r)) {
                    return new Attempt(Outcome.DIFFER, new Difference(i, steps, List.of("API server verdicts differ: "
                            + left.name() + " " + l.orElse("accepted") + ", " + right.name() + " "
                            + r.orElse("accepted")), false), false);
                }
                Settled settled = settle(agreed, step instanceof Step.ApplyService);
                agreed = settled.agreed();
                if (settled.outcome() == Outcome.DIFFER) {
                    return new Attempt(Outcome.DIFFER, new Difference(i, steps, settled.lines(), settled.competing()),
                            false);
                }
                if (settled.outcome() == Outcome.REORDERED) {
                    return new Attempt(Outcome.REORDERED, null, settled.byOracle());
                }
            }
            return new Attempt(Outcome.AGREE, null, false);
        } finally {
            left.end();
            right.end();
        }
    }

    /** How a step ended: both sides agree, or differ only in which Services got which addresses, or differ. */
    private enum Outcome { AGREE, REORDERED, DIFFER }

    /** @param byOracle a reordering that {@link OrderOracle} explained */
    private record Settled(Outcome outcome, List<String> lines, Snapshot agreed, boolean competing, boolean byOracle) {
    }

    /**
     * @param before      what both sides showed after the previous step
     * @param serviceStep whether the step created or edited a Service (one more wanting addresses)
     */
    private Settled settle(Snapshot before, boolean serviceStep) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Snapshot lastLeft = null;
        Snapshot lastRight = null;
        int stable = 0;
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            Snapshot l = left.snapshot();
            Snapshot r = right.snapshot();
            lines = Snapshot.differences(l, left.name(), r, right.name());
            stable = Objects.equals(l, lastLeft) && Objects.equals(r, lastRight) ? stable + 1 : 0;
            if (lines.isEmpty() && stable >= STABLE_POLLS) {
                return new Settled(Outcome.AGREE, List.of(), l, false, false);
            }
            boolean competing = competing(before, serviceStep, l, r);
            if (!lines.isEmpty() && stable >= STABLE_POLLS && competing && Snapshot.sameUseOfPools(l, r)) {
                return new Settled(Outcome.REORDERED, lines, null, true, false);
            }
            if (!lines.isEmpty() && stable >= DIFFERENT_POLLS) {
                if (competing) {
                    Side.World world = left.world();
                    if (OrderOracle.reachable(world, before, l) && OrderOracle.reachable(world, before, r)) {
                        return new Settled(Outcome.REORDERED, lines, null, true, true);
                    }
                }
                return new Settled(Outcome.DIFFER, lines, null, competing, false);
            }
            lastLeft = l;
            lastRight = r;
            Thread.sleep(POLL.toMillis());
        }
        return new Settled(Outcome.DIFFER, lines.isEmpty() ? List.of("did not settle within " + SETTLE.toSeconds() + " s")
                : lines, null, false, false);
    }

    /**
     * Whether two or more Services were served in this step: wanting addresses before it (or
     * created by it), or holding other addresses after it on either side.
     */
    private static boolean competing(Snapshot before, boolean serviceStep, Snapshot left, Snapshot right) {
        return before.wanting() + (serviceStep ? 1 : 0) >= 2 || left.reservedSince(before) >= 2
                || right.reservedSince(before) >= 2;
    }

    /**
     * A smallest sequence (no single step can be removed) that still shows a difference, or the
     * smallest found within {@code maxRuns} reruns: a difference that shows only sometimes makes
     * most candidates pass, and delta debugging then needs up to n² runs.
     */
    Difference shrink(Difference failing, int maxRuns) throws InterruptedException {
        List<Step> steps = new ArrayList<>(failing.steps().subList(0, failing.step() + 1));
        Difference best = failing;
        int chunk = Math.max(1, steps.size() / 2);
        int budget = maxRuns;
        while (true) {
            boolean removed = false;
            for (int start = 0; start < steps.size(); ) {
                if (budget-- <= 0) {
                    return best;
                }
                List<Step> candidate = new ArrayList<>(steps);
                candidate.subList(start, Math.min(steps.size(), start + chunk)).clear();
                Optional<Difference> result = candidate.isEmpty() ? Optional.empty() : run(candidate);
                if (result.isPresent()) {
                    best = result.get();
                    steps = new ArrayList<>(candidate.subList(0, best.step() + 1));
                    removed = true;
                } else {
                    start += chunk;
                }
            }
            if (chunk == 1 && !removed) {
                return best;
            }
            chunk = removed ? chunk : Math.max(1, chunk / 2);
        }
    }
}
