package io.ferrolb.api.v1beta1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs (crds/manifests and the Helm chart) are exactly what the generator makes
 * from the Java types. After changing a type, regenerate them with
 * {@code mvn -pl crds -am test -Dtest=CrdDriftTest -Dsurefire.failIfNoSpecifiedTests=false -Dferrolb.updateCrds=true}.
 */
class CrdDriftTest {

    private static final String UPDATE = "ferrolb.updateCrds";
    private static final String HOW = "; regenerate with: mvn -pl crds -am test -Dtest=CrdDriftTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE + "=true";

    @Test
    void committedCrdsMatchAFreshGeneration() throws IOException {
        Map<String, String> generated = GeneratedCrds.generatedYaml();
        if (Boolean.getBoolean(UPDATE)) {
            write(generated);
        }
        generated.forEach((plural, yaml) -> {
            Path committed = GeneratedCrds.committed(plural);
            assertThat(committed).as(committed + " is missing" + HOW).exists();
            assertThat(GeneratedCrds.read(committed)).as(committed + " differs from the generated CRD" + HOW)
                    .isEqualTo(yaml);
        });
        assertThat(GeneratedCrds.CHART_BUNDLE).as(GeneratedCrds.CHART_BUNDLE + " is missing" + HOW).exists();
        assertThat(GeneratedCrds.read(GeneratedCrds.CHART_BUNDLE))
                .as(GeneratedCrds.CHART_BUNDLE + " differs from the generated CRDs" + HOW)
                .isEqualTo(GeneratedCrds.chartBundle(generated));
    }

    private static void write(Map<String, String> generated) throws IOException {
        Files.createDirectories(GeneratedCrds.MANIFESTS);
        for (Map.Entry<String, String> e : generated.entrySet()) {
            Files.writeString(GeneratedCrds.committed(e.getKey()), e.getValue());
        }
        Files.createDirectories(GeneratedCrds.CHART_BUNDLE.getParent());
        Files.writeString(GeneratedCrds.CHART_BUNDLE, GeneratedCrds.chartBundle(generated));
    }
}
