package io.ferrolb.speaker.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ranking against MetalLB's algorithm (docs/compatibility.md §3.2, §7 item 16). */
class ElectionTest {

    private static final List<String> KIND = List.of("kind-control-plane", "kind-worker", "kind-worker2", "kind-worker3");

    static Stream<ElectionVectors.Vector> vectors() {
        return ElectionVectors.all().stream();
    }

    @Test
    void theVectorFileHoldsHashVectorsAndAPreferenceVector() {
        // make-vectors.py: 7 IPs x (kind-*, node-a/b/c) + 11 lab VIPs (n1..n3, 198.18.0.200-210)
        // + 5 non-canonical IP spellings = 30 hash vectors; 2 preference vectors.
        List<ElectionVectors.Vector> all = ElectionVectors.all();
        assertThat(all).hasSize(32);
        assertThat(all).filteredOn(v -> v.hashes() != null).hasSize(30);
        assertThat(all).filteredOn(v -> v.preferredScores() != null).hasSize(2);
        assertThat(all).filteredOn(v -> v.candidates().equals(List.of("n1", "n2", "n3"))).hasSize(15);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void reproducesTheOrderAndWinnerOfEveryVector(ElectionVectors.Vector v) {
        IpAddress ip = IpAddress.parse(v.firstIngressIP());
        assertThat(Election.rank(v.candidates(), ip, v.scores())).containsExactlyElementsOf(v.expectedOrder());
        assertThat(Election.winner(v.candidates(), ip, v.scores())).contains(v.winner());
        assertThat(v.expectedOrder().get(0)).isEqualTo(v.winner());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void reproducesTheHashOfEveryCandidate(ElectionVectors.Vector v) {
        if (v.hashes() == null) {
            return;
        }
        assertThat(v.hashes().keySet()).containsExactlyInAnyOrderElementsOf(v.candidates());
        IpAddress ip = IpAddress.parse(v.firstIngressIP());
        v.hashes().forEach((node, hex) ->
                assertThat(HexFormat.of().formatHex(Election.hash(node, ip))).as(node).isEqualTo(hex));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void ordersInputPermutationsTheSameWay(ElectionVectors.Vector v) {
        IpAddress ip = IpAddress.parse(v.firstIngressIP());
        List<String> reversed = new ArrayList<>(v.candidates());
        Collections.reverse(reversed);
        assertThat(Election.rank(reversed, ip, v.scores())).containsExactlyElementsOf(v.expectedOrder());
    }

    static Stream<Arguments> spellings() {
        return Stream.of(
                Arguments.of("FC00:F853:0CCD:E799:0:0:0:1", "fc00:f853:ccd:e799::1"),
                Arguments.of("fc00:f853:ccd:e799:0000::", "fc00:f853:ccd:e799::"),
                Arguments.of("::ffff:192.168.10.1", "192.168.10.1"));
    }

    @ParameterizedTest(name = "{0} hashes as {1}")
    @MethodSource("spellings")
    void hashesTheGoCanonicalTextNotTheSpelling(String spelling, String canonical) {
        assertThat(Election.rank(KIND, IpAddress.parse(spelling)))
                .containsExactlyElementsOf(Election.rank(KIND, IpAddress.parse(canonical)));
        assertThat(Election.hash("kind-worker", IpAddress.parse(spelling)))
                .isEqualTo(Election.hash("kind-worker", IpAddress.parse(canonical)));
    }

    static Stream<Arguments> scored() {
        // Hash order for 192.168.10.0 is kind-worker2, kind-worker3, kind-worker, kind-control-plane.
        return Stream.of(
                Arguments.of(Map.of(), List.of("kind-worker2", "kind-worker3", "kind-worker", "kind-control-plane")),
                Arguments.of(Map.of("kind-control-plane", 1),
                        List.of("kind-control-plane", "kind-worker2", "kind-worker3", "kind-worker")),
                Arguments.of(Map.of("kind-worker", 50, "kind-control-plane", 50),
                        List.of("kind-worker", "kind-control-plane", "kind-worker2", "kind-worker3")),
                Arguments.of(Map.of("kind-worker", 30, "kind-control-plane", 80, "kind-worker3", 30),
                        List.of("kind-control-plane", "kind-worker3", "kind-worker", "kind-worker2")),
                Arguments.of(Map.of("not-a-candidate", 100),
                        List.of("kind-worker2", "kind-worker3", "kind-worker", "kind-control-plane")),
                Arguments.of(Map.of("kind-worker2", 0),
                        List.of("kind-worker2", "kind-worker3", "kind-worker", "kind-control-plane")));
    }

    @ParameterizedTest(name = "scores {0}")
    @MethodSource("scored")
    void ranksByScoreDescendingThenHash(Map<String, Integer> scores, List<String> expected) {
        IpAddress ip = IpAddress.parse("192.168.10.0");
        assertThat(Election.rank(KIND, ip, scores)).containsExactlyElementsOf(expected);
        assertThat(Election.winner(KIND, ip, scores)).contains(expected.get(0));
    }

    @Test
    void comparesHashesAsUnsignedBytes() {
        // For 10.0.0.100 kind-worker's hash starts with 0xe7 and kind-worker2's with 0x0b: a signed
        // comparison would put kind-worker (negative first byte) first.
        IpAddress ip = IpAddress.parse("10.0.0.100");
        assertThat(Election.hash("kind-worker", ip)[0]).isNegative();
        assertThat(Election.rank(List.of("kind-worker", "kind-worker2"), ip)).containsExactly("kind-worker2", "kind-worker");
    }

    @Test
    void countsDuplicateCandidatesOnceAndHasNoWinnerWithoutCandidates() {
        IpAddress ip = IpAddress.parse("192.168.10.1");
        assertThat(Election.rank(List.of("node-a", "node-c", "node-a", "node-b"), ip))
                .containsExactly("node-c", "node-b", "node-a");
        assertThat(Election.rank(List.of(), ip)).isEmpty();
        assertThat(Election.winner(List.of(), ip)).isEmpty();
        assertThat(Election.winner(List.of("solo"), ip)).contains("solo");
    }

    @Test
    void rejectsMissingArguments() {
        IpAddress ip = IpAddress.parse("192.168.10.1");
        assertThatThrownBy(() -> Election.rank(Arrays.asList("a", null), ip))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Election.rank(List.of("a"), null)).isInstanceOf(NullPointerException.class);
    }
}
