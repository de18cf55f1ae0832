package io.ferrolb.speaker.election;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferrolb.testkit.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The computed MetalLB election vectors in {@code ../shared/metallb/l2-election-vectors.json}. */
public final class ElectionVectors {

    /** The whole file; unknown fields fail the read, so a new kind of vector cannot be skipped silently. */
    public record File(String source, List<Vector> vectors) {
    }

    /**
     * One vector.
     *
     * @param hashes          hex SHA-256 per candidate; absent in the preference vector
     * @param preferredScores summed preference score per node; absent means all 0
     */
    public record Vector(List<String> candidates, String firstIngressIP, List<String> expectedOrder, String winner,
                         Map<String, String> hashes, Map<String, Integer> preferredScores, String note) {

        public Map<String, Integer> scores() {
            return preferredScores == null ? Map.of() : preferredScores;
        }

        @Override
        public String toString() {
            return candidates + " ip=" + firstIngressIP + (preferredScores == null ? "" : " scores=" + preferredScores);
        }
    }

    private ElectionVectors() {
    }

    public static Path path() {
        return SharedData.metallb().resolve("l2-election-vectors.json");
    }

    public static List<Vector> all() {
        try {
            ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            return mapper.readValue(path().toFile(), File.class).vectors();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
