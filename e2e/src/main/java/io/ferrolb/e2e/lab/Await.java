package io.ferrolb.e2e.lab;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition every 20 ms until it holds; the lab's only way of waiting. */
public final class Await {

    private Await() {
    }

    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (Abort fatal) {
                throw fatal;
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"));
    }

    /** Thrown by a condition to stop waiting at once: what it waits for can no longer happen. */
    public static final class Abort extends IllegalStateException {
        public Abort(String message) {
            super(message);
        }
    }

    /** Polls {@code value} until {@code accept} holds for it and returns that value. */
    public static <T> T value(String what, Duration timeout, Callable<T> value, java.util.function.Predicate<T> accept) {
        Object[] holder = new Object[1];
        until(what, timeout, () -> {
            T v = value.call();
            holder[0] = v;
            return v != null && accept.test(v);
        });
        @SuppressWarnings("unchecked")
        T result = (T) holder[0];
        return result;
    }
}
