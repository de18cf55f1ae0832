package io.ferrolb.api.v1beta1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the CRD generator writes (during {@code process-classes}) and where the committed copies
 * live. Paths are relative to the crds module, the working directory of its tests.
 */
final class GeneratedCrds {

    static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
    static final Path MANIFESTS = Path.of("manifests");
    static final Path CHART_BUNDLE = Path.of("../helm/ferrolb/charts/crds/templates/crds.yaml");
    static final List<String> PLURALS = List.of("ipaddresspools", "l2advertisements", "servicel2statuses");

    private GeneratedCrds() {
    }

    static Path generated(String plural) {
        return GENERATED.resolve(plural + ".metallb.io-v1.yml");
    }

    /** The committed copy of one CRD, named as MetalLB names its files. */
    static Path committed(String plural) {
        return MANIFESTS.resolve("metallb.io_" + plural + ".yaml");
    }

    /** The generated YAML by plural, in {@link #PLURALS} order. */
    static Map<String, String> generatedYaml() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String plural : PLURALS) {
            out.put(plural, read(generated(plural)));
        }
        return out;
    }

    /** The chart's single template: every CRD, each as its own YAML document. */
    static String chartBundle(Map<String, String> yamlByPlural) {
        StringBuilder out = new StringBuilder();
        for (String yaml : yamlByPlural.values()) {
            out.append("---\n").append(yaml);
        }
        return out.toString();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
