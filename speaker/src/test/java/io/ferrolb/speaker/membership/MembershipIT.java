package io.ferrolb.speaker.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferrolb.speaker.membership.MemberProcess.ViewLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Membership between separate JVMs on 127.0.0.11–13 (Linux routes all of 127/8 to lo), one port,
 * the {@link SwimTimers#ferrolb()} failure detector. Every child is killed by PID after each test, also when
 * it fails, and by a shutdown hook should the test JVM die. No timing assertions: the numbers are in
 * docs/benchmarks.md; the waits here are generous upper bounds.
 */
class MembershipIT {

    private static final Set<String> ALL = Set.of("n1", "n2", "n3");

    private MemberGroup group;

    @BeforeEach
    void group(TestInfo test) throws IOException {
        Path dir = Path.of("target", "membership-it", test.getTestMethod().orElseThrow().getName());
        deleteRecursively(dir); // logs of earlier runs would only confuse
        group = MemberGroup.ofThree(Files.createDirectories(dir), "ferrolb");
    }

    @AfterEach
    void stopAll() {
        group.close();
    }

    @Test
    void everyMemberSeesAllThreeAndAKilledMemberIsDropped() {
        List<MemberProcess> members = startAll();
        awaitViews(members, ALL);

        long killedAt = System.currentTimeMillis();
        members.get(2).kill();

        awaitViews(members.subList(0, 2), Set.of("n1", "n2"), Duration.ofSeconds(15));
        System.out.printf("kill -9 n3: dropped by n1 after %d ms, by n2 after %d ms%n",
                members.get(0).firstViewWithout("n3", killedAt).ts() - killedAt,
                members.get(1).firstViewWithout("n3", killedAt).ts() - killedAt);
    }

    @Test
    void aStoppedMemberWhosePortStillAnswersIsHeldAndComesBackWithoutLeavingTheView() throws Exception {
        List<MemberProcess> members = startAll();
        awaitViews(members, ALL);
        // Past the members' own warm-up (LocalHealth), in which every removal is held anyway: a
        // fixed time, so a sleep.
        Thread.sleep(LocalHealth.WARMUP.toMillis());
        MemberProcess n3 = members.get(2);
        List<MemberProcess> survivors = members.subList(0, 2);

        // SIGSTOP: SWIM's probes go unanswered, while n3's kernel still completes handshakes.
        long stoppedAt = System.currentTimeMillis();
        signal("STOP", n3);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> survivors.stream().anyMatch(s -> holding(s)));
        } finally {
            signal("CONT", n3);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> survivors.stream().filter(MembershipIT::holding)
                .allMatch(s -> s.logged("Member back before its held removal")));
        for (MemberProcess survivor : survivors) {
            assertThat(survivor.firstViewWithout("n3", stoppedAt)).as(survivor.tail(30)).isNull();
        }

        // Stopped for good: the hold ends and the member goes.
        long stoppedAgainAt = System.currentTimeMillis();
        signal("STOP", n3);
        try {
            awaitViews(survivors, Set.of("n1", "n2"), Duration.ofSeconds(15));
            System.out.printf("stopped member dropped after %d ms%n", survivors.stream()
                    .mapToLong(s -> s.firstViewWithout("n3", stoppedAgainAt).ts() - stoppedAgainAt).max().orElseThrow());
        } finally {
            signal("CONT", n3);
        }
    }

    /** Whether the survivor held a removal because the member's port answered (or it was slow itself). */
    private static boolean holding(MemberProcess survivor) {
        return survivor.logged("membership port answers: holding the removal")
                || survivor.logged("while this node is slow: holding the removal");
    }

    private static void signal(String signal, MemberProcess member) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(member.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    @Test
    void sigtermLeavesGracefullyAndThePeersDropItOnTheLeaveNotTheTimeout() {
        List<MemberProcess> members = startAll();
        awaitViews(members, ALL);

        members.get(1).terminate();

        List<MemberProcess> survivors = List.of(members.get(0), members.get(2));
        awaitViews(survivors, Set.of("n1", "n3"), Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(15)).until(() -> members.get(1).printed("LEFT"));
        for (MemberProcess survivor : survivors) {
            assertThat(survivor.logged("member-leaving member=n2")).as(survivor.tail(30)).isTrue();
        }
    }

    @Test
    void aRogueWithAnotherKeyIsNeverSeenAndSeesNobody() throws IOException {
        List<MemberProcess> members = startAll();
        awaitViews(members, ALL);
        int viewsBefore = members.stream().mapToInt(m -> m.views().size()).sum();

        Path rogueSecret = MemberGroup.writeSecret(group.dir().resolve("rogue-secretkey"));
        MemberProcess rogue = group.startOther("rogue", "127.0.0.14", "name=rogue", "host=127.0.0.14",
                "port=" + group.port(), "secret=" + rogueSecret, "failureDetector=ferrolb", "joinDeadlineMs=4000",
                "peers=" + group.peers() + ",127.0.0.14:" + group.port());

        // It can only open its gate by deadline, and alone.
        await().atMost(Duration.ofSeconds(30)).until(rogue::joined);
        assertThat(rogue.views()).extracting(ViewLine::alive).containsOnly(Set.of("rogue"));
        assertThat(rogue.logged("Joined by deadline")).as(rogue.tail(20)).isTrue();
        for (MemberProcess member : members) {
            assertThat(member.views()).extracting(ViewLine::alive).noneMatch(alive -> alive.contains("rogue"));
            assertThat(member.logged("Dropped membership messages that do not open with our key"))
                    .as(member.tail(30)).isTrue();
        }
        assertThat(members.stream().mapToInt(m -> m.views().size()).sum())
                .as("the rogue changed nobody's view").isEqualTo(viewsBefore);

        rogue.terminate();
        await().atMost(Duration.ofSeconds(15)).until(() -> rogue.printed("LEFT"));
        assertThat(rogue.printed("LEFT")).isTrue();
        assertThat(rogue.tail(1)).contains("opened=0");
    }

    @Test
    void aColdStartedOrRestartedMemberOpensItsGateOnlyWithTheCompleteView() {
        MemberProcess n1 = group.start("n1");
        MemberProcess n2 = group.start("n2");
        awaitViews(List.of(n1, n2), Set.of("n1", "n2"));

        MemberProcess n3 = group.start("n3");
        awaitViews(List.of(n1, n2, n3), ALL);
        assertFirstJoinedViewIsComplete(n3);

        // Restart before the others notice the death: they still list the old n3 as alive.
        n3.kill();
        MemberProcess again = group.start("n3");
        awaitViews(List.of(n1, n2, again), ALL);
        assertFirstJoinedViewIsComplete(again);
    }

    @Test
    void aMemberMissingFromThePeerListIsFoundWhenThePodListCatchesUp() throws IOException {
        Path known = group.dir().resolve("peers-known");
        Path alone = group.dir().resolve("peers-alone");
        Files.writeString(known, "127.0.0.11:" + group.port() + "\n127.0.0.12:" + group.port() + "\n");
        Files.writeString(alone, "127.0.0.13:" + group.port() + "\n");
        MemberProcess n1 = group.start("n1", "peersFile=" + known);
        MemberProcess n2 = group.start("n2", "peersFile=" + known);
        MemberProcess n3 = group.start("n3", "peersFile=" + alone);
        awaitViews(List.of(n1, n2), Set.of("n1", "n2"));
        await().atMost(Duration.ofSeconds(30)).until(n3::joined);
        assertThat(n3.alive()).as("n3 listed nobody but itself").isEqualTo(Set.of("n3"));

        // scalecube alone would never sync with n3: it is nobody's seed and has no seeds itself.
        Files.writeString(known, Files.readString(known) + "127.0.0.13:" + group.port() + "\n");

        awaitViews(List.of(n1, n2, n3), ALL, Duration.ofSeconds(20));
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private List<MemberProcess> startAll() {
        return Stream.of("n1", "n2", "n3").map(group::start).toList();
    }

    private static void assertFirstJoinedViewIsComplete(MemberProcess member) {
        ViewLine first = member.views().stream().filter(ViewLine::joined).findFirst().orElseThrow();
        assertThat(first.alive()).as(member.tail(40)).isEqualTo(ALL);
    }

    private static void awaitViews(List<MemberProcess> members, Set<String> expected) {
        awaitViews(members, expected, Duration.ofSeconds(60));
    }

    private static void awaitViews(List<MemberProcess> members, Set<String> expected, Duration atMost) {
        ConditionFactory condition = await().atMost(atMost).pollInterval(Duration.ofMillis(50));
        try {
            condition.until(() -> members.stream().allMatch(m -> m.joined() && m.alive().equals(expected)));
        } catch (ConditionTimeoutException e) {
            StringBuilder tails = new StringBuilder();
            members.forEach(m -> tails.append(m.tail(25)).append('\n'));
            throw new AssertionError("views did not become " + expected + " within " + atMost + "\n" + tails, e);
        }
    }
}
