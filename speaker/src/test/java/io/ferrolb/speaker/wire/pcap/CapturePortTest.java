package io.ferrolb.speaker.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CapturePortTest {

    @Test
    void aCaptureTimeIsCountedInWallClockMicroseconds() {
        Timestamp captured = Timestamp.from(Instant.ofEpochSecond(1_795_946_733L, 398_123_456));

        assertThat(CapturePort.micros(captured)).isEqualTo(1_795_946_733_398_123L);
    }

    @Test
    void noCaptureTimeCountsAsNowOrLater() {
        assertThat(CapturePort.micros(null)).isEqualTo(Long.MAX_VALUE);
    }
}
