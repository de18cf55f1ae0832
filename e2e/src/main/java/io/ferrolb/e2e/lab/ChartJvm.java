package io.ferrolb.e2e.lab;

import io.ferrolb.testkit.ControlPlaneBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The JVM options the chart ships ({@code speaker.javaOptions}, {@code controller.javaOptions} of
 * {@code helm/ferrolb/values.yaml}), so that the lab and the benchmarks run the binaries exactly as
 * a cluster does, and a change of the chart's settings is what they measure.
 */
public final class ChartJvm {

    private ChartJvm() {
    }

    public static List<String> speaker() {
        return options("speaker");
    }

    public static List<String> controller() {
        return options("controller");
    }

    /** The environment the chart gives both containers besides the options. */
    public static Map<String, String> environment() {
        return Map.of("MALLOC_ARENA_MAX", "2");
    }

    @SuppressWarnings("unchecked")
    private static List<String> options(String component) {
        try {
            Map<String, Object> values = new Yaml().load(Files.readString(
                    ControlPlaneBinaries.repositoryRoot().resolve("helm/ferrolb/values.yaml")));
            String options = (String) ((Map<String, Object>) values.get(component)).get("javaOptions");
            return Arrays.stream(options.strip().split("\\s+")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
