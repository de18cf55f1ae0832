package io.ferrolb.speaker.wire.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.testkit.SourceImports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packet codecs are pure (docs/design.md §2.2): the JDK, ferrolb's address types and themselves; no
 * pcap4j, no clock, no files. The wire's pure decision classes in the pcap package (schedule,
 * responder, conflict window, ownership, handover probes) are held to the same rule file by file.
 */
class PacketPurityTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final List<String> ALLOWED = List.of("java.", "io.ferrolb.net.", "io.ferrolb.speaker.wire.packet.",
            "io.ferrolb.speaker.plan.");
    /** The wire's seam: an interface whose records (claims, releases) the decision classes take. */
    private static final List<String> ALLOWED_IN_PCAP = List.of("io.ferrolb.speaker.wire.Wire;");
    private static final List<String> PURE_PCAP_CLASSES = List.of("AnnounceSchedule", "Responder", "ConflictWindow",
            "Ownership", "HandoverProbes", "CaptureFilter");

    @Test
    void codecsImportNothingButTheJdkAndTheAddressTypes() {
        assertThat(SourceImports.violations(SOURCES, "io.ferrolb.speaker.wire.packet", ALLOWED)).isEmpty();
    }

    @Test
    void codecsNeverReadTheClockOrDoIo() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve("io/ferrolb/speaker/wire/packet"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                assertPure(file);
            }
        }
    }

    @Test
    void theWiresDecisionsArePureToo() throws IOException {
        for (String name : PURE_PCAP_CLASSES) {
            Path file = SOURCES.resolve("io/ferrolb/speaker/wire/pcap/" + name + ".java");
            assertPure(file);
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("import ")) {
                    assertThat(ALLOWED.stream().anyMatch(line.substring(7)::startsWith)
                            || ALLOWED_IN_PCAP.contains(line.substring(7)) || line.startsWith("import static java."))
                            .as(file + ": " + line).isTrue();
                }
            }
        }
    }

    private static void assertPure(Path file) throws IOException {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("System.currentTimeMillis",
                "System.nanoTime", "Instant.now", "new Thread", "Executor", "java.io.File", "java.nio.file",
                "org.pcap4j");
    }
}
