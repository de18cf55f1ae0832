package io.ferrolb.e2e.lab;

import java.util.List;

/**
 * One measured failover: the owner's speaker was killed (SIGKILL) or stopped (SIGTERM) at
 * {@code stoppedAt}; the client's prober attempts around that moment; what they add up to.
 *
 * @param interruptionMs from the signal to the end of the first successful attempt answered by
 *     another node
 * @param failed attempts that failed between the signal and that first success
 */
public record FailoverRun(
        int run,
        String signal,
        String profile,
        String stoppedNode,
        String newOwner,
        long stoppedAt,
        long interruptionMs,
        long failed,
        List<ProberRun.Attempt> window) {

    /** Computes the run from the prober's attempts; the window kept for the plot ends 2 s after the takeover. */
    public static FailoverRun of(int run, String signal, String profile, String stoppedNode, long stoppedAt,
            List<ProberRun.Attempt> attempts) {
        ProberRun.Attempt first = attempts.stream()
                .filter(a -> a.ok() && a.epochMs() >= stoppedAt && !a.detail().equals(stoppedNode))
                .findFirst().orElseThrow(() -> new IllegalStateException("no success after the stop"));
        long failed = attempts.stream()
                .filter(a -> !a.ok() && a.epochMs() + a.ms() >= stoppedAt && a.epochMs() <= first.epochMs())
                .count();
        List<ProberRun.Attempt> window = attempts.stream()
                .filter(a -> a.epochMs() >= stoppedAt - 2000 && a.epochMs() <= first.epochMs() + 2000).toList();
        return new FailoverRun(run, signal, profile, stoppedNode, first.detail(), stoppedAt,
                first.epochMs() + first.ms() - stoppedAt, failed, window);
    }
}
