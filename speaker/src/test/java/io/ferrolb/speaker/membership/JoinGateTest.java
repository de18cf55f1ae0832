package io.ferrolb.speaker.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.speaker.membership.JoinGate.Reason;
import io.ferrolb.speaker.membership.JoinGate.Verdict;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gate as a table. Columns: elapsed ms; whether the peer list was read; listed peers; peers in
 * the view; syncs as {@code peer@ms}; last view change ms; expected verdict (WAITING or a reason);
 * expected missing peers. Deadline 10 000 ms, settle 300 ms. Peers a, b, c stand for endpoints.
 */
class JoinGateTest {

    private static final Duration DEADLINE = Duration.ofMillis(10_000);
    private static final Duration SETTLE = Duration.ofMillis(300);

    @ParameterizedTest(name = "[{index}] t={0} resolved={1} peers={2} view={3} synced={4} changed={5} -> {6}")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        // alone by listing: nothing to wait for
        "0;     true;  -;     -;     -;        0;    NO_PEERS;          -",
        // everyone listed is in the view
        "50;    true;  a b;   a b;   -;        40;   ALL_PEERS_IN_VIEW; -",
        "50;    true;  a b;   a b c; -;        40;   ALL_PEERS_IN_VIEW; -",
        // not read yet: an empty list proves nothing
        "50;    false; -;     -;     -;        0;    WAITING;           -",
        // partial view, no sync: wait
        "50;    true;  a b c; a;     -;        40;   WAITING;           b c",
        // synced with a, but its records are still arriving (view changed 100 ms ago)
        "400;   true;  a b c; a;     a@200;    300;  WAITING;           b c",
        // synced with a and quiet for the settle time: b and c count as unreachable
        "650;   true;  a b c; a;     a@200;    300;  SYNCED_WITH_PEER;  b c",
        // a sync from a member that is not (or no longer) in the view does not count
        "900;   true;  a b c; b;     a@200;    300;  WAITING;           a c",
        // any authenticated member's sync counts, listed or not (a Pod list that lags)
        "900;   true;  a;     d;     d@200;    250;  SYNCED_WITH_PEER;  a",
        "900;   false; -;     d;     d@200;    250;  SYNCED_WITH_PEER;  -",
        // nobody answers: the deadline opens the gate and says who is missing
        "10000; true;  a b;   -;     -;        0;    DEADLINE;          a b",
        "10000; false; -;     -;     -;        0;    DEADLINE;          -",
        "9999;  true;  a b;   -;     -;        0;    WAITING;           a b",
    })
    void decides(long elapsed, boolean resolved, String peers, String view, String synced, long changed,
            String expected, String missing) {
        Verdict verdict = JoinGate.decide(new JoinGate.Progress(Duration.ofMillis(elapsed), DEADLINE, SETTLE,
                resolved, set(peers), set(view), syncs(synced), Duration.ofMillis(changed)));

        if (expected.equals("WAITING")) {
            assertThat(verdict).isInstanceOf(Verdict.Waiting.class);
        } else {
            assertThat(verdict).isInstanceOf(Verdict.Joined.class);
            assertThat(((Verdict.Joined) verdict).reason()).isEqualTo(Reason.valueOf(expected));
        }
        assertThat(verdict.missing()).isEqualTo(set(missing));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"b@100 a@100; a", "b@100 a@500; b"})
    void theSettledSyncIsNamedSmallestEndpointFirst(String synced, String expectedPeer) {
        Verdict verdict = JoinGate.decide(new JoinGate.Progress(Duration.ofMillis(500), DEADLINE, SETTLE, true,
                set("a b c"), set("a b"), syncs(synced), Duration.ofMillis(100)));

        assertThat(verdict).isEqualTo(new Verdict.Joined(Reason.SYNCED_WITH_PEER, expectedPeer, Set.of("c")));
    }

    private static Set<String> set(String words) {
        return words == null ? Set.of() : Arrays.stream(words.trim().split("\\s+")).collect(Collectors.toSet());
    }

    private static Map<String, Duration> syncs(String words) {
        Map<String, Duration> syncs = new HashMap<>();
        for (String word : set(words)) {
            String[] parts = word.split("@");
            syncs.put(parts[0], Duration.ofMillis(Long.parseLong(parts[1])));
        }
        return syncs;
    }
}
