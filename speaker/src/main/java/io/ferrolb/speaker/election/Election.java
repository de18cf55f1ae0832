package io.ferrolb.speaker.election;

import io.ferrolb.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Layer-2 ranking of candidate nodes for one Service. Nodes are ordered by their summed
 * preference score, highest first (MetalLB v0.16.2's {@code preferredNodeSelectors}; 0 when a node has
 * none), then by {@code SHA-256(UTF-8(nodeName + "#" + ip))} compared as unsigned bytes, lowest
 * first, where {@code ip} is the Go-canonical text of the Service's first ingress IP. The first node
 * of the ranking announces.
 *
 * <p>The ranking depends only on its arguments, so every speaker holding the same view elects the
 * same node, and a node that joins or returns takes the IP back if it ranks first (no stickiness).
 */
public final class Election {

    /** Score descending, then hash ascending; names only break a (practically impossible) full tie. */
    private static final Comparator<Ranked> ORDER = Comparator.comparingLong(Ranked::score).reversed()
            .thenComparing(Ranked::hash, Arrays::compareUnsigned)
            .thenComparing(Ranked::node);

    private record Ranked(String node, long score, byte[] hash) {
    }

    private Election() {
    }

    /**
     * Ranks the candidates, winner first. Duplicate names count once.
     *
     * @param candidates     the eligible node names
     * @param firstIngressIp the first entry of the Service's {@code status.loadBalancer.ingress}
     * @param scores         preference score per node; absent nodes score 0
     */
    public static List<String> rank(Collection<String> candidates, IpAddress firstIngressIp,
                                    Map<String, Integer> scores) {
        List<Ranked> ranked = ranked(candidates, firstIngressIp, scores);
        ranked.sort(ORDER);
        return ranked.stream().map(Ranked::node).toList();
    }

    /** {@link #rank(Collection, IpAddress, Map)} without preferences: the pure hash order. */
    public static List<String> rank(Collection<String> candidates, IpAddress firstIngressIp) {
        return rank(candidates, firstIngressIp, Map.of());
    }

    /** The first node of the ranking, or empty when there is no candidate. */
    public static Optional<String> winner(Collection<String> candidates, IpAddress firstIngressIp,
                                          Map<String, Integer> scores) {
        // Only the minimum is needed: a linear scan instead of a sort.
        return ranked(candidates, firstIngressIp, scores).stream().min(ORDER).map(Ranked::node);
    }

    /** {@link #winner(Collection, IpAddress, Map)} without preferences. */
    public static Optional<String> winner(Collection<String> candidates, IpAddress firstIngressIp) {
        return winner(candidates, firstIngressIp, Map.of());
    }

    /** The 32-byte hash a node is ranked by for the given first ingress IP. */
    public static byte[] hash(String nodeName, IpAddress firstIngressIp) {
        return digest(sha256(), nodeName, firstIngressIp.toString());
    }

    private static List<Ranked> ranked(Collection<String> candidates, IpAddress firstIngressIp,
                                       Map<String, Integer> scores) {
        Objects.requireNonNull(firstIngressIp, "firstIngressIp");
        Objects.requireNonNull(scores, "scores");
        String ip = firstIngressIp.toString();
        MessageDigest sha = sha256();
        List<Ranked> out = new ArrayList<>(candidates.size());
        for (String node : new LinkedHashSet<>(candidates)) {
            Objects.requireNonNull(node, "candidate node name");
            Integer score = scores.get(node);
            out.add(new Ranked(node, score == null ? 0 : score, digest(sha, node, ip)));
        }
        return out;
    }

    private static byte[] digest(MessageDigest sha, String node, String ip) {
        return sha.digest((node + "#" + ip).getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's documented requirements).
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
