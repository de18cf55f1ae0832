package io.ferrolb.speaker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.election.Election;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three speaker processes: the owner of a VIP is killed ({@code kill -9}) or stopped (SIGTERM) ten
 * times each and restarted after every run. Measured: the time from the signal until a survivor
 * reports the VIP announced (its plan changed and was applied). Checked throughout, by sampling
 * every speaker every few milliseconds: never two speakers announcing the VIP at once, also while
 * a restarted speaker joins and takes its VIP back.
 */
class SpeakerFailoverIT {

    private static final int RUNS = Integer.getInteger("failover.runs", 10);
    private static final String IP = "198.18.0.240";
    private static final List<String> NODES = List.of("n1", "n2", "n3");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();
    static SpeakerCluster cluster;
    static Path logs;
    static final Map<String, SpeakerProcess> speakers = new ConcurrentHashMap<>();
    static final List<String> overlaps = new CopyOnWriteArrayList<>();
    static volatile boolean sampling = true;
    static Thread sampler;

    @BeforeAll
    static void start() throws Exception {
        cluster = new SpeakerCluster(apiServer.controlPlane());
        logs = Files.createDirectories(Path.of("target/it-logs/speaker-failover"));
        for (int i = 1; i <= 3; i++) {
            cluster.registerNode(i);
        }
        for (int i = 1; i <= 3; i++) {
            speakers.put("n" + i, SpeakerProcess.start(cluster, i, logs));
        }
        cluster.service("ha", "svc", IP, "n1");
        awaitOwner(winner(NODES));
        sampler = new Thread(SpeakerFailoverIT::sample, "ownership-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    @AfterAll
    static void stop() throws Exception {
        sampling = false;
        for (SpeakerProcess p : speakers.values()) {
            p.close();
        }
        System.out.println("[speaker-failover] speaker logs were in " + logs);
    }

    @Test
    void killMinusNineMovesTheVipAndItComesBack() throws Exception {
        List<Long> millis = failover(true);
        report("kill -9", millis);
        assertThat(Collections.max(millis)).isLessThan(5_000);
        assertThat(overlaps).as("two speakers announcing %s at once", IP).isEmpty();
    }

    @Test
    void sigtermMovesTheVipAndItComesBack() throws Exception {
        List<Long> millis = failover(false);
        report("SIGTERM", millis);
        assertThat(Collections.max(millis)).isLessThan(2_000);
        assertThat(overlaps).as("two speakers announcing %s at once", IP).isEmpty();
    }

    private static List<Long> failover(boolean kill) throws Exception {
        List<Long> out = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            String owner = winner(NODES);
            awaitOwner(owner);
            String next = winner(NODES.stream().filter(n -> !n.equals(owner)).toList());
            long start = System.nanoTime();
            if (kill) {
                speakers.get(owner).kill();
            } else {
                speakers.get(owner).signalTerm();
            }
            SpeakerProcess survivor = speakers.get(next);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> survivor.announced().contains(IP));
            out.add((System.nanoTime() - start) / 1_000_000);
            speakers.get(owner).awaitExit();
            await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.statuses("ha", "svc")).singleElement()
                    .satisfies(s -> assertThat(s.getStatus().getNode()).isEqualTo(next)));
            speakers.put(owner, SpeakerProcess.start(cluster, Integer.parseInt(owner.substring(1)), logs));
            awaitOwner(owner);
        }
        return out;
    }

    private static String winner(List<String> nodes) {
        return Election.winner(nodes, IpAddress.parse(IP)).orElseThrow();
    }

    private static void awaitOwner(String node) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (SpeakerProcess p : speakers.values()) {
                assertThat(p.alive() && p.announced().contains(IP)).as("%s announces", p.node)
                        .isEqualTo(p.node.equals(node));
            }
            assertThat(cluster.statuses("ha", "svc")).singleElement()
                    .satisfies(s -> assertThat(s.getStatus().getNode()).isEqualTo(node));
        });
    }

    private static void sample() {
        while (sampling) {
            List<String> owners = new ArrayList<>();
            for (SpeakerProcess p : speakers.values()) {
                if (p.alive() && p.announced().contains(IP)) {
                    owners.add(p.node);
                }
            }
            if (owners.size() > 1) {
                overlaps.add(System.currentTimeMillis() + " " + owners);
            }
            try {
                // A sampling period, not a wait for a condition.
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void report(String what, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("[speaker-failover] %s: %d runs, survivor announces after p50 %d ms, max %d ms, all %s%n",
                what, sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), millis);
    }
}
