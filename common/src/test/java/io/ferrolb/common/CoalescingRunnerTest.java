package io.ferrolb.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class CoalescingRunnerTest {

    @Test
    void requestsDuringARunLeadToExactlyOneMoreRun() throws Exception {
        CountDownLatch inFirstRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (CoalescingRunner runner = new CoalescingRunner("test-runner", () -> {
            if (runs.incrementAndGet() == 1) {
                inFirstRun.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        })) {
            runner.request();
            assertThat(inFirstRun.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 50; i++) {
                runner.request();
            }
            release.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 2);
            // Once idle, a new request is a new run.
            runner.request();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 3);
        }
    }

    @Test
    void aClosedRunnerIgnoresRequests() {
        AtomicInteger runs = new AtomicInteger();
        CoalescingRunner runner = new CoalescingRunner("test-runner", runs::incrementAndGet);
        runner.close();
        runner.request();
        runner.requestAfter(Duration.ofMillis(1));
        assertThat(runner.isClosed()).isTrue();
        assertThat(runs.get()).isZero();
    }
}
