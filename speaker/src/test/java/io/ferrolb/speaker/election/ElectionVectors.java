package io.ferrolb.speaker.election;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The MetalLB election vectors of the test classpath's {@value #RESOURCE}, written by
 * {@code make-vectors.py} next to it (an independent Python implementation of MetalLB's ranking).
 */
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

    public static final String RESOURCE = "/election/l2-election-vectors.json";

    private ElectionVectors() {
    }

    public static List<Vector> all() {
        try (InputStream in = ElectionVectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            return mapper.readValue(in, File.class).vectors();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
