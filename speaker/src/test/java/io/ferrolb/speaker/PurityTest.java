package io.ferrolb.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.testkit.SourceImports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The speaker's pure packages import only the JDK, ferrolb's pure packages, their own and the
 * fabric8 model types: no client, no JOSDK, no scalecube, no pcap4j (docs/design.md §2.2).
 */
class PurityTest {

    private static final List<String> ALLOWED = List.of(
            "java.", "io.ferrolb.api.v1beta1.", "io.ferrolb.config.", "io.ferrolb.net.",
            "io.ferrolb.speaker.election.", "io.ferrolb.speaker.plan.", "io.fabric8.kubernetes.api.model.");

    @ParameterizedTest
    @ValueSource(strings = {"io.ferrolb.speaker.election", "io.ferrolb.speaker.plan"})
    void importsNothingButTheJdkThePurePackagesAndTheModel(String javaPackage) {
        assertThat(SourceImports.violations(Path.of("src/main/java"), javaPackage, ALLOWED)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.ferrolb.speaker.election", "io.ferrolb.speaker.plan"})
    void neverReadsTheClockOrStartsThreads(String javaPackage) throws IOException {
        Path dir = Path.of("src/main/java").resolve(javaPackage.replace('.', '/'));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(file)).as(file.toString())
                        .doesNotContain("System.currentTimeMillis", "System.nanoTime", "Instant.now", "new Thread",
                                "Executor", "java.io.File", "java.nio.file");
            }
        }
    }
}
