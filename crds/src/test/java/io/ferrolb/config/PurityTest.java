package io.ferrolb.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.testkit.SourceImports;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure packages import only the JDK, the API types and each other (docs/design.md §2.2). */
class PurityTest {

    private static final List<String> ALLOWED = List.of(
            "java.", "io.ferrolb.api.v1beta1.", "io.ferrolb.config.", "io.ferrolb.net.");

    @ParameterizedTest
    @ValueSource(strings = {"io.ferrolb.config", "io.ferrolb.net"})
    void importsNothingButTheJdkAndTheModel(String javaPackage) {
        assertThat(SourceImports.violations(Path.of("src/main/java"), javaPackage, ALLOWED)).isEmpty();
    }
}
