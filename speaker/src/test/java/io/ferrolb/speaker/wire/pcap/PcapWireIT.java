package io.ferrolb.speaker.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferrolb.testkit.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packet wire on a real (namespaced) LAN, checked with real tools from a client: arping,
 * the client's neighbour cache, tcpdump, a rogue host's GARP, curl through the iptables handoff
 * and ndisc6. Two wire JVMs run in nodes n1 and n2; every test uses addresses of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PcapWireIT {

    private static final Path LOGS = Path.of("target", "wire-it");
    private static final Pattern ARPING_REPLY = Pattern.compile("bytes from ([0-9a-f:]{17}) \\(([0-9.]+)\\)");

    private WireLab lab;
    private WireLab.Host n1;
    private WireLab.Host n2;
    private WireLab.Host client;
    private WireLab.Host rogue;
    private WireProcess w1;
    private WireProcess w2;
    private long ownedAt;

    @BeforeAll
    void lan() {
        assumeTrue(WireLab.usable(), "needs root and iproute2 to build network namespaces");
        assumeTrue(WireLab.onPath("arping") && WireLab.onPath("tcpdump"), "needs arping and tcpdump");
        lab = new WireLab();
        try {
            n1 = lab.host("n1", 11);
            n2 = lab.host("n2", 12);
            client = lab.host("c", 100);
            rogue = lab.host("x", 66);
            w1 = WireProcess.start(lab, n1, "n1", LOGS);
            w2 = WireProcess.start(lab, n2, "n2", LOGS);
            // Owned from the start, so that the tests that need the handoff window behind them wait less.
            w1.command("announce ns/conflict 198.18.10.203");
            w1.command("announce ns/h 198.18.10.205");
            ownedAt = System.nanoTime();
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    @AfterAll
    void down() {
        if (lab == null) {
            return;
        }
        try {
            for (WireProcess w : new WireProcess[] {w1, w2}) {
                if (w != null) {
                    // .203 and .206 are claimed by the rogue on purpose; nothing else may be.
                    assertThat(w.lines()).as("no conflict from our own frames on " + w.tail())
                            .noneMatch(l -> l.startsWith("CONFLICT") && !l.contains("198.18.10.203")
                                    && !l.contains("198.18.10.206"));
                    w.quit();
                }
            }
        } finally {
            lab.close();
        }
    }

    @Test
    void arpingGetsExactlyOneReplyPerRequestWithTheOwnersMac() {
        w1.command("announce ns/a 198.18.10.200");

        CommandResult r = lab.run(client.ns(), "arping", "-c", "3", "-W", "0.2", "-w", "5", "-i", "eth0",
                "198.18.10.200");

        List<String> macs = new ArrayList<>();
        Matcher m = ARPING_REPLY.matcher(r.stdout());
        while (m.find()) {
            macs.add(m.group(1));
        }
        assertThat(macs).as(r.stdout()).containsExactly(n1.mac(), n1.mac(), n1.mac());
        assertThat(w1.metric("metallb_layer2_requests_received", "198.18.10.200")).isEqualTo(3);
        assertThat(w1.metric("metallb_layer2_responses_sent", "198.18.10.200")).isEqualTo(3);
        assertThat(w2.metric("metallb_layer2_requests_received", "198.18.10.200")).isEqualTo(-1);
    }

    @Test
    void afterAMoveTheClientsNeighbourEntryShowsTheNewMacWithoutTheClientAsking() {
        w1.command("announce ns/b 198.18.10.201");
        // Any IP traffic makes the client resolve the address; the SYN itself goes unanswered.
        lab.run(client.ns(), "timeout", "1", "bash", "-c", "exec 3<>/dev/tcp/198.18.10.201/9");
        await().atMost(Duration.ofSeconds(5)).until(() -> neighbour("198.18.10.201").contains(n1.mac()));

        w1.command("withdraw ns/b 198.18.10.201");
        w2.command("announce ns/b 198.18.10.201");

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> neighbour("198.18.10.201").contains(n2.mac()));
        assertThat(w1.metric("metallb_layer2_gratuitous_sent", "198.18.10.201")).as("series removed on withdraw")
                .isEqualTo(-1);
    }

    @Test
    void anAnnouncementIsFiveBurstsOfRequestAndReplyWithinFiveSeconds() throws IOException {
        Path log = LOGS.resolve("tcpdump-burst.log");
        Process tcpdump = lab.spawn(client.ns(), log, "tcpdump", "-i", "eth0", "-n", "-e", "-tt", "-l",
                "arp and arp[14:4] = 0xc6120aca");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.readString(log)
                    .contains("listening on"));
            w2.command("announce ns/c 198.18.10.202");

            await().atMost(Duration.ofSeconds(12)).pollDelay(Duration.ofSeconds(5))
                    .until(() -> garps(log).size() >= 10);
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> garps(log).size() == 10);
        } finally {
            tcpdump.destroy();
        }
        List<double[]> frames = garps(log);
        List<Double> bursts = new ArrayList<>();
        for (int i = 0; i < frames.size(); i += 2) {
            assertThat(frames.get(i)[1]).as("request first").isEqualTo(1);
            assertThat(frames.get(i + 1)[1]).as("then the reply").isEqualTo(2);
            assertThat(frames.get(i + 1)[0] - frames.get(i)[0]).isLessThan(0.05);
            bursts.add(frames.get(i)[0]);
        }
        assertThat(bursts).hasSize(5);
        // The first burst leaves when the worker gets to it (a cold JVM on a busy machine may take a
        // few hundred ms); the ticker is anchored at the trigger, so only later gaps are exact.
        assertThat(bursts.get(1) - bursts.get(0)).as("first gap").isBetween(0.0, 1.4);
        for (int i = 2; i < bursts.size(); i++) {
            assertThat(bursts.get(i) - bursts.get(i - 1)).as("ticker period").isBetween(0.8, 1.4);
        }
        assertThat(bursts.get(4) - bursts.get(0)).isLessThanOrEqualTo(5.0);
        assertThat(w2.metric("metallb_layer2_gratuitous_sent", "198.18.10.202")).isEqualTo(10);
    }

    @Test
    void aForeignGratuitousArpForAnOwnedAddressIsReportedWithinASecond() {
        awaitHandoffWindowPassed();

        long sentAt = System.currentTimeMillis();
        lab.run(rogue.ns(), "arping", "-U", "-S", "198.18.10.203", "-c", "1", "-w", "1", "-i", "eth0",
                "198.18.10.203");

        String line = w1.await(l -> l.startsWith("CONFLICT 198.18.10.203 "), Duration.ofSeconds(3));
        String[] parts = line.split(" ");
        assertThat(parts[2]).isEqualTo(rogue.mac());
        assertThat(parts[3]).isEqualTo("eth0");
        assertThat(Long.parseLong(parts[4]) - sentAt).as("reported within a second").isLessThan(1000);
        assertThat(w1.metric("ferrolb_layer2_conflicts", "198.18.10.203")).isEqualTo(1);
    }

    @Test
    void thePreviousOwnersLastBurstDuringAHandoffIsNoConflict() {
        awaitHandoffWindowPassed();

        w2.command("announce ns/h 198.18.10.205 all takeover");
        w1.command("announce ns/h 198.18.10.205"); // a lagging previous owner: one more burst
        w1.command("withdraw ns/h 198.18.10.205");

        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> w1.lines().stream()
                .noneMatch(l -> l.startsWith("CONFLICT 198.18.10.205")) && w2.lines().stream()
                .noneMatch(l -> l.startsWith("CONFLICT 198.18.10.205")));
    }

    @Test
    void aRogueClaimingABrandNewAddressOnceIsReportedAtOnce() {
        // No speaker held .206 before: there is no handoff to excuse, even in the first seconds.
        w1.command("announce ns/new 198.18.10.206");
        await().atMost(Duration.ofSeconds(5)).until(() -> lab.run(client.ns(), "arping", "-c", "1", "-w", "1", "-i",
                "eth0", "198.18.10.206").stdout().toLowerCase(Locale.ROOT).contains(n1.mac().toLowerCase(Locale.ROOT)));

        long sentAt = System.currentTimeMillis();
        lab.run(rogue.ns(), "arping", "-U", "-S", "198.18.10.206", "-c", "1", "-w", "1", "-i", "eth0",
                "198.18.10.206");

        String line = w1.await(l -> l.startsWith("CONFLICT 198.18.10.206 "), Duration.ofSeconds(3));
        assertThat(line.split(" ")[2]).isEqualTo(rogue.mac());
        assertThat(Long.parseLong(line.split(" ")[4]) - sentAt).as("reported within a second").isLessThan(1000);
        w1.command("withdraw ns/new 198.18.10.206");
    }

    @Test
    void aHandoverFromALiveOwnerWaitsUntilItStopsAnswering() {
        w2.command("announce ns/m 198.18.10.207");
        await().atMost(Duration.ofSeconds(5)).until(() -> arpingMacs("198.18.10.207").contains(n2.mac()));

        await().atMost(Duration.ofSeconds(5)).until(() -> !w1.filter().startsWith("passes=all"));
        long widenings = w1.metric(WireMetrics.WIDENINGS, "null");
        // n1 wins the address back while n2 still answers: n1 probes and waits.
        w1.command("announce ns/m 198.18.10.207 all handover");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> arpingMacs("198.18.10.207").equals(List.of(n2.mac())));

        w2.command("withdraw ns/m 198.18.10.207");
        // Each arping waits out its deadline; the one in flight at the release sees nobody.
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20))
                .until(() -> arpingMacs("198.18.10.207").equals(List.of(n1.mac())));
        // Claimed because the probes went unanswered, not because the 3 s limit ran out.
        assertThat(w1.lines()).as("what n1 logged").noneMatch(l -> l.contains("claiming anyway"));
        assertThat(w1.metric(WireMetrics.WIDENINGS, "null")).as("its filter was compiled while it waited")
                .isEqualTo(widenings);
        w1.command("withdraw ns/m 198.18.10.207");
    }

    @Test
    void aSilencedWireAnswersNothingAndIgnoresLaterClaims() {
        WireLab.Host n3 = lab.host("n3", 13);
        WireProcess w3 = WireProcess.start(lab, n3, "n3", LOGS);
        try {
            w3.command("announce ns/s 198.18.10.209");
            await().atMost(Duration.ofSeconds(5)).until(() -> arpingMacs("198.18.10.209").equals(List.of(n3.mac())));

            w3.command("silence");
            await().atMost(Duration.ofSeconds(2)).until(() -> arpingMacs("198.18.10.209").isEmpty());
            w3.command("announce ns/s2 198.18.10.210");
            w3.command("announce ns/s 198.18.10.209");
            assertThat(arpingMacs("198.18.10.210")).isEmpty();
            assertThat(arpingMacs("198.18.10.209")).isEmpty();
        } finally {
            w3.quit();
        }
    }

    @Test
    void aClaimOfAnExpectedBatchSetsAFilterCompiledAheadInsteadOfPassingEveryArpFrame() {
        WireLab.Host n4 = lab.host("n4", 14);
        WireProcess w4 = WireProcess.start(lab, n4, "n4", LOGS);
        try {
            w4.command("announce ns/e1 198.18.10.211");
            await().atMost(Duration.ofSeconds(5)).until(() -> w4.filter().startsWith("passes=1 "));

            long widenings = w4.metric(WireMetrics.WIDENINGS, "null");
            w4.command("expect 198.18.10.212,198.18.10.213");
            await().atMost(Duration.ofSeconds(5)).until(() -> w4.filter().equals("passes=1 ready=[3]"));
            w4.command("announce ns/e2 198.18.10.212");
            w4.command("announce ns/e3 198.18.10.213");
            assertThat(w4.filter()).startsWith("passes=3 ");
            assertThat(w4.metric(WireMetrics.WIDENINGS, "null")).isEqualTo(widenings);
            assertThat(arpingMacs("198.18.10.212")).containsExactly(n4.mac());
            assertThat(arpingMacs("198.18.10.213")).containsExactly(n4.mac());

            // Released, they stop passing: the wire must not read requests for addresses moved on.
            w4.command("withdraw ns/e3 198.18.10.213");
            w4.command("withdraw ns/e2 198.18.10.212");
            await().atMost(Duration.ofSeconds(5)).until(() -> w4.filter().startsWith("passes=1 "));
            w4.command("announce ns/e2 198.18.10.212");
            w4.command("announce ns/e3 198.18.10.213");
            await().atMost(Duration.ofSeconds(5)).until(() -> w4.filter().startsWith("passes=3 "));
            widenings = w4.metric(WireMetrics.WIDENINGS, "null");

            // Not expected: every ARP frame passes until the narrow filter is compiled.
            w4.command("announce ns/e4 198.18.10.214");
            assertThat(w4.metric(WireMetrics.WIDENINGS, "null")).isEqualTo(widenings + 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> w4.filter().startsWith("passes=4 "));
            assertThat(arpingMacs("198.18.10.214")).containsExactly(n4.mac());
        } finally {
            w4.quit();
        }
    }

    private List<String> arpingMacs(String ip) {
        List<String> macs = new ArrayList<>();
        java.util.regex.Matcher m = ARPING_REPLY.matcher(lab.run(client.ns(), "arping", "-c", "1", "-w", "0.5", "-i",
                "eth0", ip).stdout());
        while (m.find()) {
            macs.add(m.group(1));
        }
        return macs;
    }

    @Test
    void ipv6SolicitationsAreAnsweredWithTheOwnersMac() {
        assumeTrue(WireLab.onPath("ndisc6"), "ndisc6 is not installed (apt-get install ndisc6)");
        w1.command("announce ns/v6 fd00:10::200");

        CommandResult r = lab.run(client.ns(), "ndisc6", "-1", "-n", "-r", "3", "-w", "1000", "fd00:10::200", "eth0");

        assertThat(r.stdout()).as(r.stdout() + r.stderr())
                .contains("Target link-layer address: " + n1.mac().toUpperCase(Locale.ROOT));
        assertThat(w1.metric("metallb_layer2_responses_sent", "fd00:10::200")).isGreaterThanOrEqualTo(1);
    }

    /** n1's window for .203 and .205 is over: from now on n1 reports any foreign claim on them. */
    private void awaitHandoffWindowPassed() {
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - ownedAt
                > ConflictWindow.HANDOFF_NANOS + 200_000_000L);
    }

    private String neighbour(String ip) {
        return lab.run(client.ns(), "ip", "neigh", "show", ip, "dev", "eth0").stdout();
    }

    /** The (time, operation) of every captured ARP frame sent from the address. */
    private static List<double[]> garps(Path log) throws IOException {
        List<double[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.contains("Request who-has") || line.contains(" Reply ")) {
                out.add(new double[] {Double.parseDouble(line.substring(0, line.indexOf(' '))),
                        line.contains("Request") ? 1 : 2});
            }
        }
        return out;
    }
}
