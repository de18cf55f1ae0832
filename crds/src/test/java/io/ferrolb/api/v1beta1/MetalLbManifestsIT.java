package io.ferrolb.api.v1beta1;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.config.Config;
import io.ferrolb.testkit.CommandResult;
import io.ferrolb.testkit.ControlPlaneExtension;
import io.ferrolb.testkit.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every IPAddressPool and L2Advertisement of MetalLB's sample folder and documentation applies
 * unchanged with the real kubectl, and what the API server stores parses as a valid configuration.
 * Other kinds in the same files (BGP kinds, Services, Deployments) are left out. Each file is
 * applied on its own and removed after, since the examples reuse names and addresses.
 */
class MetalLbManifestsIT {

    private static final Pattern KIND = Pattern.compile("(?m)^kind:\\s*(\\S+)\\s*$");
    private static final List<String> KEPT = List.of("IPAddressPool", "L2Advertisement");

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();

    @BeforeAll
    static void installCrds() {
        Crds.installOurs(apiServer.controlPlane());
    }

    static Stream<Path> manifests() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("samples", "docs-examples")) {
            try (Stream<Path> list = Files.list(SharedData.metallb().resolve(dir))) {
                list.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        return files.stream().filter(f -> !poolAndAdDocuments(f).isEmpty());
    }

    @Test
    void theDataSetHoldsTheExpectedExamples() throws IOException {
        List<Path> files = manifests().toList();
        long documents = files.stream().mapToLong(f -> poolAndAdDocuments(f).size()).sum();
        assertThat(files).hasSizeGreaterThanOrEqualTo(20);
        assertThat(documents).isGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void appliesUnchangedAndParses(Path file) throws Exception {
        List<String> documents = poolAndAdDocuments(file);
        String manifest = String.join("\n---\n", documents);
        CommandResult applied = apiServer.kubectlWithInput(manifest, "apply", "-n", Crds.NAMESPACE, "-f", "-");
        assertThat(applied.exitCode()).as("kubectl apply of %s: %s", file.getFileName(), applied.stderr()).isZero();
        assertThat(applied.stdout().lines().filter(l -> l.endsWith(" created"))).hasSize(documents.size());

        var client = apiServer.client();
        var pools = client.resources(IPAddressPool.class).inNamespace(Crds.NAMESPACE).list().getItems();
        var ads = client.resources(L2Advertisement.class).inNamespace(Crds.NAMESPACE).list().getItems();
        assertThat(pools.size() + ads.size()).isEqualTo(documents.size());
        Config.from(pools, ads);
    }

    @AfterEach
    void removeEverything() {
        apiServer.kubectl("delete", "ipaddresspools,l2advertisements", "--all", "-n", Crds.NAMESPACE).requireSuccess();
    }

    /** The IPAddressPool and L2Advertisement documents of a file, as they are written. */
    private static List<String> poolAndAdDocuments(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> kept = new ArrayList<>();
        for (String document : text.split("(?m)^---\\s*$")) {
            Matcher kind = KIND.matcher(document);
            if (kind.find() && KEPT.contains(kind.group(1))) {
                kept.add(document.strip());
            }
        }
        return kept;
    }
}
