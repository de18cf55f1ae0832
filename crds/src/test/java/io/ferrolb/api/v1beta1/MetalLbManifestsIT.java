package io.ferrolb.api.v1beta1;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.config.Config;
import io.ferrolb.testkit.CommandResult;
import io.ferrolb.testkit.ControlPlaneExtension;
import io.ferrolb.testkit.MetalLbSource;
import io.ferrolb.testkit.MetalLbSource.DocExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 * The files are MetalLB v0.16.1's and v0.16.2's (the first with {@code preferredNodeSelectors}),
 * from its Go module ({@link MetalLbSource}); each documentation ```yaml block is one example.
 * Other kinds in the same files (BGP kinds, Services, Deployments) are left out. Examples whose
 * pools and advertisements are the same text are applied once. Each example is applied on its own
 * and removed after, since the examples reuse names and addresses.
 */
class MetalLbManifestsIT {

    private static final Pattern KIND = Pattern.compile("(?m)^kind:\\s*(\\S+)\\s*$");
    private static final List<String> KEPT = List.of("IPAddressPool", "L2Advertisement");
    private static final List<String> VERSIONS = List.of(MetalLbSource.V0_16_1, MetalLbSource.V0_16_2);

    /**
     * The pool and advertisement documents one or more sample files or doc blocks hold.
     *
     * @param name where they come from, e.g. {@code docs/configuration_index_03@v0.16.1+v0.16.2}
     */
    record Example(String name, List<String> documents) {

        @Override
        public String toString() {
            return name;
        }
    }

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();

    @BeforeAll
    static void installCrds() {
        Crds.installOurs(apiServer.controlPlane());
    }

    static Stream<Example> examples() {
        // document text -> source name -> versions holding it
        Map<String, Map<String, List<String>>> sources = new LinkedHashMap<>();
        for (String version : VERSIONS) {
            for (Path sample : MetalLbSource.samples(version)) {
                add(sources, poolAndAdDocuments(read(sample)), "samples/" + sample.getFileName(), version);
            }
            for (DocExample doc : MetalLbSource.docExamples(version)) {
                add(sources, poolAndAdDocuments(doc.yaml()), "docs/" + doc.name(), version);
            }
        }
        return sources.entrySet().stream().map(e -> new Example(
                e.getValue().entrySet().stream().map(s -> s.getKey() + "@" + String.join("+", s.getValue()))
                        .collect(Collectors.joining(", ")),
                List.of(e.getKey().split("\n---\n"))));
    }

    private static void add(Map<String, Map<String, List<String>>> sources, List<String> documents, String name,
                            String version) {
        if (!documents.isEmpty()) {
            sources.computeIfAbsent(String.join("\n---\n", documents), k -> new TreeMap<>())
                    .computeIfAbsent(name, k -> new ArrayList<>()).add(version);
        }
    }

    @Test
    void theDataSetHoldsTheExpectedExamples() {
        // Per release: 18 sample files, 8 of them with pools or advertisements (10 documents).
        // Doc blocks (configuration, advanced L2, advanced pool, usage pages): v0.16.1 has
        // 10 + 7 + 5 + 3 = 25, of which 15 hold pools or advertisements (16 documents); v0.16.2 has
        // 10 + 10 + 5 + 3 = 28, its 3 new advanced L2 blocks being preferredNodeSelectors examples,
        // so 18 hold pools or advertisements (19 documents).
        for (String version : VERSIONS) {
            List<Path> samples = MetalLbSource.samples(version);
            assertThat(samples).as(version).hasSize(18);
            List<List<String>> kept = samples.stream().map(f -> poolAndAdDocuments(read(f)))
                    .filter(d -> !d.isEmpty()).toList();
            assertThat(kept).as(version).hasSize(8);
            assertThat(kept.stream().mapToInt(List::size).sum()).as(version).isEqualTo(10);
        }
        assertThat(blocksPerPage(MetalLbSource.V0_16_1)).containsExactly(
                Map.entry("configuration_index", 10L), Map.entry("advanced_l2_configuration", 7L),
                Map.entry("advanced_ipaddresspool_configuration", 5L), Map.entry("usage_index", 3L));
        assertThat(blocksPerPage(MetalLbSource.V0_16_2)).containsExactly(
                Map.entry("configuration_index", 10L), Map.entry("advanced_l2_configuration", 10L),
                Map.entry("advanced_ipaddresspool_configuration", 5L), Map.entry("usage_index", 3L));
        assertThat(docDocuments(MetalLbSource.V0_16_1)).hasSize(15);
        assertThat(docDocuments(MetalLbSource.V0_16_1).stream().mapToInt(List::size).sum()).isEqualTo(16);
        assertThat(docDocuments(MetalLbSource.V0_16_2)).hasSize(18);
        assertThat(docDocuments(MetalLbSource.V0_16_2).stream().mapToInt(List::size).sum()).isEqualTo(19);

        // 8 + 15 (v0.16.1) and 8 + 18 (v0.16.2) examples are 23 distinct ones with 26 documents:
        // the samples are the same in both, v0.16.2 adds 3 doc blocks, and within a release
        // ipaddresspool_simple = simple_pool_adv_bgp, ipaddresspool_with_selector =
        // advanced_ipaddresspool_configuration_03, configuration_index_02 = configuration_index_06.
        List<Example> examples = examples().toList();
        assertThat(examples).hasSize(23);
        assertThat(examples.stream().mapToInt(e -> e.documents().size()).sum()).isEqualTo(26);
        assertThat(examples).filteredOn(e -> String.join("\n", e.documents()).contains("preferredNodeSelectors:"))
                .hasSize(3).allMatch(e -> !e.name().contains(MetalLbSource.V0_16_1), "only in v0.16.2");
    }

    private static Map<String, Long> blocksPerPage(String version) {
        return MetalLbSource.docExamples(version).stream().collect(Collectors.groupingBy(
                d -> d.name().substring(0, d.name().lastIndexOf('_')), LinkedHashMap::new, Collectors.counting()));
    }

    private static List<List<String>> docDocuments(String version) {
        return MetalLbSource.docExamples(version).stream().map(d -> poolAndAdDocuments(d.yaml()))
                .filter(d -> !d.isEmpty()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void appliesUnchangedAndParses(Example example) throws Exception {
        List<String> documents = example.documents();
        String manifest = String.join("\n---\n", documents);
        CommandResult applied = apiServer.kubectlWithInput(manifest, "apply", "-n", Crds.NAMESPACE, "-f", "-");
        assertThat(applied.exitCode()).as("kubectl apply of %s: %s", example, applied.stderr()).isZero();
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

    /** The IPAddressPool and L2Advertisement documents of a manifest, as they are written. */
    private static List<String> poolAndAdDocuments(String text) {
        List<String> kept = new ArrayList<>();
        for (String document : text.split("(?m)^---\\s*$")) {
            Matcher kind = KIND.matcher(document);
            if (kind.find() && KEPT.contains(kind.group(1))) {
                kept.add(document.strip());
            }
        }
        return kept;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
