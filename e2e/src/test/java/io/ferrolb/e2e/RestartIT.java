package io.ferrolb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.e2e.lab.Chaos;
import io.ferrolb.e2e.lab.Lab;
import io.ferrolb.e2e.lab.LabNode;
import io.ferrolb.e2e.lab.OwnershipSampler;
import io.ferrolb.e2e.lab.Seed;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Speakers restarted over and over (kill -9, SIGTERM, kill -9 while the node's link is down and a
 * start with the link still down) never leave a moment in which two speakers announce one VIP.
 * Reachable speakers are sampled through their metrics every 25 ms; a speaker behind a downed link
 * cannot be reached, so its log must show that it acquired nothing until its link was back.
 */
@ExtendWith(LabExtension.class)
class RestartIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<String> SERVICES = List.of("rs1", "rs2", "rs3");
    private static final int CYCLES = 21;
    private static final Duration JOIN_DEADLINE_PLUS_MARGIN = Duration.ofSeconds(12);

    private final Lab lab;
    private final Seed seed;
    private OwnershipSampler sampler;

    RestartIT(Lab lab) {
        this.lab = lab;
        this.seed = new Seed(lab);
    }

    @AfterEach
    void restore() {
        if (sampler != null) {
            sampler.close();
        }
        for (LabNode n : lab.nodes()) {
            Chaos.linkUp(n);
            if (!n.speakerRunning()) {
                lab.restartSpeaker(n);
            }
        }
        SERVICES.forEach(seed::deleteService);
    }

    @Test
    void restartsNeverLeaveTwoSpeakersAnnouncingOneVip() throws Exception {
        SERVICES.forEach(seed::createService);
        SERVICES.forEach(s -> seed.awaitAnnounced(s, WAIT));
        sampler = OwnershipSampler.start(lab);
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            String svc = SERVICES.get(cycle % SERVICES.size());
            LabNode owner = lab.node(seed.awaitAnnounced(svc, WAIT));
            switch (cycle % 3) {
                case 0 -> {
                    owner.speaker().kill();
                    seed.awaitAnnounced(svc, WAIT);
                    lab.restartSpeaker(owner);
                }
                case 1 -> {
                    owner.speaker().signalTerm();
                    owner.speaker().awaitExit(Duration.ofSeconds(30));
                    lab.restartSpeaker(owner);
                }
                default -> killWithLinkDownAndStartIsolated(owner, svc);
            }
            SERVICES.forEach(s -> seed.awaitAnnounced(s, WAIT));
        }
        sampler.close();
        System.out.printf("[RestartIT] %d restart cycles, %d samples of every reachable speaker, double ownership: %s%n",
                CYCLES, sampler.samples(), sampler.doubleOwnership());
        assertThat(sampler.samples()).isGreaterThan(100);
        assertThat(sampler.doubleOwnership()).isEmpty();
    }

    /** kill -9 with the link down, start the speaker still isolated, then bring the link back. */
    private void killWithLinkDownAndStartIsolated(LabNode owner, String svc) throws IOException, InterruptedException {
        Chaos.linkDown(owner);
        owner.speaker().kill();
        seed.awaitAnnounced(svc, WAIT);
        long logStart = Files.size(owner.speaker().log());
        lab.startSpeaker(owner);
        // Nothing can be awaited here: the point is that nothing happens for longer than the join
        // deadline (10 s), after which a speaker that did not check its links would join alone and
        // claim every VIP.
        Thread.sleep(JOIN_DEADLINE_PLUS_MARGIN.toMillis());
        assertThat(owner.speakerRunning()).isTrue();
        String isolatedLog = Files.readString(owner.speaker().log()).substring((int) logStart);
        assertThat(isolatedLog).as("what the isolated speaker logged").doesNotContain("acquire service=");
        Chaos.linkUp(owner);
        lab.awaitSpeakerReady(owner, WAIT);
    }
}
