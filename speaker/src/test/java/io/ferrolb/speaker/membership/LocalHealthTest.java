package io.ferrolb.speaker.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalHealthTest {

    private static final long MS = 1_000_000;
    private final LocalHealth health = new LocalHealth(0, Duration.ofSeconds(15), Duration.ofMillis(100),
            Duration.ofSeconds(10));

    @Test
    void aFreshProcessIsUnhealthyUntilWarmedUp() {
        assertThat(health.unhealthy(14_999 * MS)).isTrue();
        assertThat(health.unhealthy(15_000 * MS)).isFalse();
    }

    @Test
    void aLateTickMakesItUnhealthyForTheMemory() {
        health.tick(20_000 * MS, 20_050 * MS);
        assertThat(health.unhealthy(20_100 * MS)).as("50 ms late is tolerated").isFalse();
        health.tick(21_000 * MS, 21_400 * MS);
        assertThat(health.unhealthy(21_400 * MS)).isTrue();
        assertThat(health.worstRecentLateness()).isEqualTo(Duration.ofMillis(400));
        assertThat(health.unhealthy(31_399 * MS)).isTrue();
        assertThat(health.unhealthy(31_400 * MS)).isFalse();
    }

    @Test
    void anOldLatenessIsForgottenWhenANewOneComes() {
        health.tick(21_000 * MS, 21_900 * MS);
        health.tick(40_000 * MS, 40_200 * MS);
        assertThat(health.worstRecentLateness()).isEqualTo(Duration.ofMillis(200));
    }
}
