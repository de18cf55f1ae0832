package io.ferrolb.speaker.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A firewall between two members that answers their membership port with resets, while a third
 * reaches both: the case SWIM's indirect probes are for. The members run in network namespace
 * {@code flb-mfw} (its loopback only), which the test creates and deletes, also on failure; its
 * members are killed by PID.
 */
class MembershipFirewallIT {

    private static final String NS = "flb-mfw";
    private static final String N1 = "127.0.0.11";
    private static final String N2 = "127.0.0.12";
    private static final String N3 = "127.0.0.13";

    private MemberGroup group;

    @BeforeEach
    void namespace() throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
        deleteNamespace();
        run("ip", "netns", "add", NS);
        run("ip", "netns", "exec", NS, "ip", "link", "set", "lo", "up");
        Path dir = Path.of("target", "membership-it", "firewall");
        MembershipIT.deleteRecursively(dir); // logs of earlier runs would only confuse
        Files.createDirectories(dir);
        group = MemberGroup.ofThree(dir, "ferrolb").inNamespace(NS);
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        if (group != null) {
            group.close();
        }
        deleteNamespace();
    }

    /**
     * n3 is stopped for longer than the suspicion timeout while n1 and n2 cannot talk directly, so
     * each declares the other dead (nobody can carry a refutation). n3 comes back and carries it:
     * neither may have dropped the other from its view meanwhile. Before, a refused knock confirmed
     * the verdict, and scalecube dropped the refutation for want of the suspect's metadata, which
     * it fetches directly: each dropped the other for as long as the firewall stood.
     */
    @Test
    void aMemberBehindAFirewallThatRejectsUsStaysInTheViewWhileAThirdReachesIt() throws Exception {
        List<MemberProcess> members = startThreePastWarmUp();
        MemberProcess n1 = members.get(0);
        MemberProcess n2 = members.get(1);
        MemberProcess n3 = members.get(2);

        long firewalledAt = System.currentTimeMillis();
        reject(N1, N2);
        reject(N2, N1);
        abortOutbound(N1, N2);
        abortOutbound(N2, N1);
        signal("STOP", n3);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> doubted(n1) || doubted(n2));
            // A little past the suspicion timeout: both verdicts fall while n3 cannot relay.
            Thread.sleep(1_000);
        } finally {
            signal("CONT", n3);
        }
        // The firewall stays: ten seconds in which the refutations must come through n3.
        Thread.sleep(10_000);

        assertThat(n1.firstViewWithout("n2", firewalledAt)).as(n1.tail(40)).isNull();
        assertThat(n2.firstViewWithout("n1", firewalledAt)).as(n2.tail(40)).isNull();
        assertThat(Stream.of(n1, n2).filter(MembershipFirewallIT::doubted).allMatch(m -> m.logged(
                "Member back before its held removal"))).as("%s%n%s", n1.tail(40), n2.tail(40)).isTrue();
    }

    /**
     * n2's crash watch cannot reach n3 (its connections are aborted, new ones rejected), so when n3 is
     * killed only n1's watch proves it, and n3's port refuses n2 just as the firewall did. n2 must take
     * n1's proof: before it did, it held the removal as a firewall's for the longest hold, and n3's
     * addresses went unanswered that long (6 s in one kill -9 of the scale benchmark).
     */
    @Test
    void aCrashOneWatchCannotSeeIsTakenFromAPeersWatch() throws Exception {
        List<MemberProcess> members = startThreePastWarmUp();
        MemberProcess n1 = members.get(0);
        MemberProcess n2 = members.get(1);
        MemberProcess n3 = members.get(2);
        reject(N2, N3);
        abortOutbound(N2, N3);

        long killedAt = System.currentTimeMillis();
        n3.kill();

        List<MemberProcess> survivors = List.of(n1, n2);
        await().atMost(Duration.ofSeconds(15)).until(() -> survivors.stream()
                .allMatch(m -> m.firstViewWithout("n3", killedAt) != null));
        assertThat(n2.logged("member crashed, by a peer's crash watch")).as(n2.tail(40)).isTrue();
        assertThat(n2.logged("peer=n1")).as(n2.tail(40)).isTrue();
        long dropped = n2.firstViewWithout("n3", killedAt).ts() - killedAt;
        System.out.printf("n3 killed behind n2's firewall: n1 dropped it after %d ms, n2 after %d ms%n",
                n1.firstViewWithout("n3", killedAt).ts() - killedAt, dropped);
        assertThat(dropped).as(n2.tail(40)).isLessThan(Membership.MAX_REMOVAL_HOLD.toMillis());
    }

    /**
     * n1..n3, all in each other's view, and past their own warm-up (LocalHealth), in which every
     * removal is held anyway.
     */
    private List<MemberProcess> startThreePastWarmUp() throws InterruptedException {
        List<MemberProcess> members = Stream.of("n1", "n2", "n3").map(group::start).toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> members.stream()
                .allMatch(m -> m.joined() && m.alive().equals(Set.of("n1", "n2", "n3"))));
        Thread.sleep(LocalHealth.WARMUP.toMillis());
        return members;
    }

    /** Whether the member held a removal because the other's port refused it without a crash seen. */
    private static boolean doubted(MemberProcess member) {
        return member.logged("membership port refuses us, but no crash was seen");
    }

    /** Rejects with resets every TCP segment from {@code from} to {@code to}'s membership port. */
    private void reject(String from, String to) throws IOException, InterruptedException {
        run("ip", "netns", "exec", NS, "iptables", "-I", "OUTPUT", "-s", from, "-d", to, "-p", "tcp",
                "--dport", String.valueOf(group.port()), "-j", "REJECT", "--reject-with", "tcp-reset");
    }

    /**
     * Aborts {@code from}'s connections to {@code to}'s membership port: each must be made anew. The
     * ends {@code to} accepted stay (the aborts' resets meet the firewall): a reset of those, then a
     * refusal, is what a crashed process's watch connection shows, and the crash watch takes it for
     * one (docs/design.md §4.6).
     */
    private void abortOutbound(String from, String to) throws IOException, InterruptedException {
        run("ip", "netns", "exec", NS, "ss", "-K", "src", from, "dst", to, "dport", "=", ":" + group.port());
    }

    private static void signal(String signal, MemberProcess member) throws IOException, InterruptedException {
        run("kill", "-" + signal, Long.toString(member.pid()));
    }

    private static void deleteNamespace() throws IOException, InterruptedException {
        if (Files.exists(Path.of("/run/netns", NS))) {
            run("ip", "netns", "del", NS);
        }
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
    }
}
