package io.ferrolb.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferrolb.testkit.ControlPlaneBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two ways to the images describe the same images: tools/images/build.sh (no Docker) reads
 * tools/images/images.env and &lt;name&gt;.env, and controller/Dockerfile and speaker/Dockerfile
 * (Docker) must say the same: base, packages, Java runtime (JDK package, modules, jlink options,
 * where it goes), where the jar goes, user, ports and entrypoint. Reads files only.
 */
class ImageSpecTest {

    private static final Path ROOT = ControlPlaneBinaries.repositoryRoot();
    private static final Pattern ASSIGNMENT = Pattern.compile("^(\\w+)='([^']*)'$");

    @ParameterizedTest
    @ValueSource(strings = {"controller", "speaker"})
    void theDockerfileDescribesTheImageTheScriptBuilds(String name) throws IOException {
        Map<String, String> spec = spec("images.env");
        spec.putAll(spec(name + ".env"));
        List<Stage> stages = stages(ROOT.resolve(name).resolve("Dockerfile"));
        Stage build = stages.get(0);
        Stage jre = stage(stages, "jre");
        Stage last = stages.get(stages.size() - 1);
        String javaHome = spec.get("java_home");
        String appDir = spec.get("app_dir");

        // The jar, under the name the entrypoint runs.
        assertThat(build.all("RUN")).anyMatch(run -> run.contains("/out/" + spec.get("jar")));

        // The runtime: jlink of the same Debian's JDK, the same modules and options, the same place.
        assertThat(jre.from()).isEqualTo("debian:" + spec.get("suite") + " AS jre");
        String link = String.join(" ", jre.all("RUN"));
        assertThat(aptInstalled(link)).containsExactly(spec.get("jdk_package"));
        assertThat(words(link)).containsSequence("--add-modules", spec.get("java_modules"))
                .containsSequence("--output", javaHome)
                .contains(spec.get("jlink_options").split(" "));

        // The image: the same Debian packages on the same release, the runtime, the jar.
        assertThat(last.from()).isEqualTo("debian:" + spec.get("suite") + "-slim");
        Set<String> packages = new TreeSet<>(List.of((spec.get("base_packages") + " " + spec.get("packages")).trim().split(" +")));
        assertThat(aptInstalled(String.join(" ", last.all("RUN")))).isEqualTo(packages);
        assertThat(last.all("COPY")).contains("--from=jre " + javaHome + " " + javaHome, "--from=build /out/ " + appDir + "/");
        assertThat(last.all("ENV")).containsExactly("JAVA_HOME=" + javaHome + " PATH=" + javaHome + "/bin:$PATH");

        // How it runs.
        assertThat(last.all("USER")).isEqualTo(spec.get("user").isEmpty() ? List.of() : List.of(spec.get("user")));
        Set<String> exposed = last.all("EXPOSE").stream().flatMap(e -> Arrays.stream(e.split(" +")))
                .map(p -> p.contains("/") ? p : p + "/tcp").collect(Collectors.toCollection(TreeSet::new));
        assertThat(exposed).isEqualTo(new TreeSet<>(List.of(spec.get("ports").split(" +"))));
        assertThat(last.all("ENTRYPOINT")).hasSize(1);
        assertThat(json(last.all("ENTRYPOINT").get(0))).isEqualTo(json(spec.get("entrypoint")))
                .contains(appDir + "/" + spec.get("jar"));
    }

    /** One stage of a Dockerfile: its FROM and its other instructions, continuation lines joined. */
    record Stage(String from, List<String[]> instructions) {
        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
        }
    }

    private static List<Stage> stages(Path dockerfile) throws IOException {
        List<Stage> stages = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : Files.readAllLines(dockerfile)) {
            if (raw.stripLeading().startsWith("#")) {
                continue;
            }
            if (raw.endsWith("\\")) {
                line.append(raw, 0, raw.length() - 1).append(' ');
                continue;
            }
            line.append(raw);
            String instruction = line.toString().strip().replaceAll("\\s+", " ");
            line.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            String[] parts = instruction.split(" ", 2);
            String keyword = parts[0].toUpperCase();
            if (keyword.equals("FROM")) {
                stages.add(new Stage(parts[1], new ArrayList<>()));
            } else {
                stages.get(stages.size() - 1).instructions().add(new String[] {keyword, parts[1]});
            }
        }
        return stages;
    }

    private static Stage stage(List<Stage> stages, String name) {
        return stages.stream().filter(s -> s.from().endsWith(" AS " + name)).findFirst().orElseThrow();
    }

    /** The packages of every apt-get install in a RUN, options left out. */
    private static Set<String> aptInstalled(String run) {
        Set<String> packages = new TreeSet<>();
        List<String> words = words(run);
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equals("install") && i > 0 && words.subList(0, i).contains("apt-get")) {
                for (int j = i + 1; j < words.size() && !words.get(j).equals("&&"); j++) {
                    if (!words.get(j).startsWith("-")) {
                        packages.add(words.get(j));
                    }
                }
            }
        }
        return packages;
    }

    private static List<String> words(String text) {
        return List.of(text.strip().split("\\s+"));
    }

    private static List<String> json(String array) throws IOException {
        return new ObjectMapper().readValue(array, new TypeReference<List<String>>() {});
    }

    private static Map<String, String> spec(String file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("tools/images").resolve(file))) {
            Matcher m = ASSIGNMENT.matcher(line.strip());
            if (m.matches()) {
                values.put(m.group(1), m.group(2));
            }
        }
        return values;
    }
}
