package io.ferrolb.speaker.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.plan.Interfaces;
import io.ferrolb.speaker.wire.Wire;
import org.junit.jupiter.api.Test;

class HandoverProbesTest {

    private static final long MS = 1_000_000;
    private static final IpAddress VIP = IpAddress.parse("198.18.4.1");
    private static final Wire.Claim CLAIM = new Wire.Claim("ns/a", VIP, Interfaces.all(), true, true);

    private final HandoverProbes probes = new HandoverProbes();

    @Test
    void aQuietPreviousOwnerIsClaimedAfterTwoSilentProbes() {
        probes.await(CLAIM, 0);
        assertThat(probes.tick(0).probe()).containsExactly(CLAIM);
        assertThat(probes.tick(10 * MS).probe()).as("not yet time for the next probe").isEmpty();
        assertThat(probes.tick(25 * MS).probe()).as("first silent probe").containsExactly(CLAIM);
        HandoverProbes.Step step = probes.tick(50 * MS);
        assertThat(step.ready()).containsExactly(CLAIM);
        assertThat(probes.isEmpty()).isTrue();
    }

    @Test
    void anAnsweringPreviousOwnerIsWaitedFor() {
        probes.await(CLAIM, 0);
        probes.tick(0);
        for (long t = 25; t <= 500; t += 25) {
            probes.answered(VIP, (t - 20) * MS);
            HandoverProbes.Step step = probes.tick(t * MS);
            assertThat(step.ready()).as("at %d ms", t).isEmpty();
            assertThat(step.probe()).containsExactly(CLAIM);
        }
        // It released: two silent probes later the claim goes ahead.
        probes.tick(525 * MS);
        assertThat(probes.tick(550 * MS).ready()).containsExactly(CLAIM);
    }

    @Test
    void aPreviousOwnerThatNeverStopsIsOverruledAfterThreeSeconds() {
        probes.await(CLAIM, 0);
        probes.tick(0);
        HandoverProbes.Step last = null;
        for (long t = 25; t <= 3000; t += 25) {
            probes.answered(VIP, (t - 20) * MS);
            last = probes.tick(t * MS);
        }
        assertThat(last.gaveUp()).containsExactly(CLAIM);
        assertThat(probes.isEmpty()).isTrue();
    }

    @Test
    void aCancelledClaimIsForgotten() {
        probes.await(CLAIM, 0);
        probes.cancel(VIP);
        assertThat(probes.tick(0).probe()).isEmpty();
    }
}
