package io.ferrolb.speaker.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The guard's decisions, driven with chosen observations and times. */
class LinkGuardTest {

    private static final long MS = 1_000_000;

    private final List<String> heard = new ArrayList<>();
    private final LinkGuard guard = new LinkGuard(
            new LinkScanner(Path.of("/nonexistent"), new InterfaceRules(List.of())),
            Duration.ofMillis(200), Duration.ofSeconds(1), () -> heard.add("changed"),
            up -> heard.add(up ? "usable" : "unusable"));

    @Test
    void losingTheLastLinkStepsDownAtOnceAndComingBackWaitsForTheHoldDown() {
        guard.observe(Set.of("eth0"), 0);
        guard.observe(Set.of(), 200 * MS);
        assertThat(heard).containsExactly("changed", "changed", "unusable");

        heard.clear();
        guard.observe(Set.of("eth0"), 400 * MS);
        guard.observe(Set.of("eth0"), 1000 * MS);
        assertThat(heard).as("up for 600 ms only").containsExactly("changed");
        guard.observe(Set.of("eth0"), 1400 * MS);
        assertThat(heard).containsExactly("changed", "usable");
    }

    @Test
    void aLinkThatCameUpWhileTheSpeakerStartedIsAChangeAtTheFirstCheck() {
        // Started behind a downed link: the wire was built with no interface; by the time the
        // caches listed and the guard starts, the link is up again.
        guard.begin(false, Set.of());
        guard.observe(Set.of("eth0"), 0);
        assertThat(heard).as("the wire must open its capture now").containsExactly("changed");
        guard.observe(Set.of("eth0"), 1000 * MS);
        assertThat(heard).containsExactly("changed", "usable");
    }

    @Test
    void aFlapRestartsTheHoldDown() {
        guard.observe(Set.of(), 0);
        guard.observe(Set.of("eth0"), 100 * MS);
        guard.observe(Set.of(), 900 * MS);
        guard.observe(Set.of("eth0"), 1000 * MS);
        guard.observe(Set.of("eth0"), 1500 * MS);
        assertThat(heard).doesNotContain("usable");
        guard.observe(Set.of("eth0"), 2000 * MS);
        assertThat(heard).endsWith("usable");
    }

    @Test
    void oneOfSeveralLinksGoingDownIsAChangeButNotAStepDown() {
        guard.observe(Set.of("eth0", "eth1"), 0);
        guard.observe(Set.of("eth1"), 200 * MS);
        assertThat(heard).containsExactly("changed", "changed");
    }

    @Test
    void aFailedJoinIsRetriedAfterAnotherHoldDown() {
        List<String> joins = new ArrayList<>();
        int[] failuresLeft = {2};
        LinkGuard joining = new LinkGuard(new LinkScanner(Path.of("/nonexistent"), new InterfaceRules(List.of())),
                Duration.ofMillis(200), Duration.ofSeconds(1), () -> { }, up -> {
                    joins.add(up ? "join" : "leave");
                    if (up && failuresLeft[0]-- > 0) {
                        throw new IllegalStateException("membership start timed out");
                    }
                });
        joining.observe(Set.of(), 0);
        joining.observe(Set.of("eth0"), 100 * MS);
        joining.observe(Set.of("eth0"), 1100 * MS);
        assertThat(joins).as("the first join fails").containsExactly("leave", "join");
        joining.observe(Set.of("eth0"), 1300 * MS);
        assertThat(joins).as("not before another hold-down").hasSize(2);
        joining.observe(Set.of("eth0"), 2100 * MS);
        joining.observe(Set.of("eth0"), 3100 * MS);
        assertThat(joins).as("failed twice, then joined").containsExactly("leave", "join", "join", "join");
        joining.observe(Set.of("eth0"), 5000 * MS);
        assertThat(joins).as("joined: nothing more to do").hasSize(4);
    }
}
