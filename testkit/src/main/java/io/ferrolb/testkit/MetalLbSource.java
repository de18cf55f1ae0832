package io.ferrolb.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * MetalLB's own files (CRDs, sample manifests, documentation examples, Helm values) at a pinned
 * release, taken from its Go module {@code go.universe.tf/metallb}: {@code go mod download} fetches
 * it into Go's module cache (which is the cache: a second run is offline), and the module's
 * {@code h1:} hash must equal the one pinned in {@link #PINNED}, as go.sum would pin it. Needs the
 * {@code go} command (on PATH or at {@code /usr/local/go/bin/go}); the files are read where Go
 * keeps them, read-only.
 */
public final class MetalLbSource {

    public static final String MODULE = "go.universe.tf/metallb";

    /** The release whose API ferrolb serves field for field. */
    public static final String V0_16_1 = "v0.16.1";

    /** The first release with L2Advertisement {@code spec.preferredNodeSelectors}. */
    public static final String V0_16_2 = "v0.16.2";

    /** Go module hash ({@code h1:}, the go.sum form) per version: the only versions this class serves. */
    static final Map<String, String> PINNED = Map.of(
            V0_16_1, "h1:iVtjCslcUFMOEvuNeAyW2ygZxyW+6YjnNcEuCTOZezc=",
            V0_16_2, "h1:RCSAGoZmqcvTg0e56+Okbwz8iTuQVX30JpKX5mYEPUM=");

    /** The CRDs ferrolb implements, by plural. */
    public static final List<String> CRD_PLURALS = List.of("ipaddresspools", "l2advertisements", "servicel2statuses");

    /** The documentation pages whose yaml blocks are examples, by the name their blocks get. */
    private static final Map<String, String> DOC_PAGES = Map.of(
            "configuration_index", "website/content/configuration/_index.md",
            "advanced_l2_configuration", "website/content/configuration/_advanced_l2_configuration.md",
            "advanced_ipaddresspool_configuration",
            "website/content/configuration/_advanced_ipaddresspool_configuration.md",
            "usage_index", "website/content/usage/_index.md");
    private static final List<String> DOC_ORDER = List.of(
            "configuration_index", "advanced_l2_configuration", "advanced_ipaddresspool_configuration", "usage_index");

    private static final long DOWNLOAD_TIMEOUT_MINUTES = 15;
    private static final Map<String, Path> MODULES = new ConcurrentHashMap<>();

    /**
     * One ```yaml block of a documentation page, as written.
     *
     * @param name  page and block number, e.g. {@code configuration_index_03} (blocks count from 1)
     * @param page  the page's path in the module
     */
    public record DocExample(String version, String name, String page, int block, String yaml) {

        @Override
        public String toString() {
            return version + " " + name;
        }
    }

    private MetalLbSource() {
    }

    /** The module's directory for a pinned version, downloading and checking it on first use. */
    public static Path module(String version) {
        if (!PINNED.containsKey(version)) {
            throw new IllegalArgumentException("MetalLB " + version + " is not pinned in " + MetalLbSource.class.getName()
                    + " (pinned: " + PINNED.keySet() + ")");
        }
        return MODULES.computeIfAbsent(version, MetalLbSource::download);
    }

    /** {@code config/crd/bases/metallb.io_<plural>.yaml}. */
    public static Path crd(String version, String plural) {
        return existing(module(version).resolve("config/crd/bases/metallb.io_" + plural + ".yaml"));
    }

    /** The IPAddressPool, L2Advertisement and ServiceL2Status CRDs. */
    public static List<Path> crds(String version) {
        return CRD_PLURALS.stream().map(p -> crd(version, p)).toList();
    }

    /** Every {@code configsamples/*.yaml}, sorted by name. */
    public static List<Path> samples(String version) {
        try (Stream<Path> files = Files.list(existing(module(version).resolve("configsamples")))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every ```yaml block of the configuration, advanced L2, advanced pool and usage pages, page by
     * page, in the order they appear.
     */
    public static List<DocExample> docExamples(String version) {
        List<DocExample> examples = new ArrayList<>();
        for (String name : DOC_ORDER) {
            String page = DOC_PAGES.get(name);
            List<String> blocks = yamlBlocks(read(existing(module(version).resolve(page))), page);
            for (int i = 0; i < blocks.size(); i++) {
                examples.add(new DocExample(version, String.format("%s_%02d", name, i + 1), page, i + 1, blocks.get(i)));
            }
        }
        return examples;
    }

    /** {@code charts/metallb/values.yaml}. */
    public static Path chartValues(String version) {
        return existing(module(version).resolve("charts/metallb/values.yaml"));
    }

    /** {@code config/native/exclude-l2-config.yaml}: the {@code metallb-excludel2} ConfigMap. */
    public static Path excludeL2ConfigMap(String version) {
        return existing(module(version).resolve("config/native/exclude-l2-config.yaml"));
    }

    /**
     * The contents of the fenced blocks opened by a line "```yaml" and closed by a line "```"
     * (either indented alike; the fence's indentation is removed from the block's lines).
     */
    static List<String> yamlBlocks(String markdown, String page) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        String indent = "";
        int opened = 0;
        String[] lines = markdown.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (block == null) {
                if (line.strip().equals("```yaml")) {
                    block = new StringBuilder();
                    indent = line.substring(0, line.indexOf('`'));
                    opened = n + 1;
                }
            } else if (line.strip().equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else {
                block.append(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading()).append('\n');
            }
        }
        if (block != null) {
            throw new IllegalStateException(page + ": the ```yaml block opened on line " + opened + " is not closed");
        }
        return blocks;
    }

    private static Path download(String version) {
        String coordinate = MODULE + "@" + version;
        Path go = goCommand();
        Path workDir = null;
        try {
            // Outside any module, so no go.mod or go.work around the checkout takes part.
            workDir = Files.createTempDirectory("ferrolb-metallb-module");
            ProcessBuilder builder = new ProcessBuilder(go.toString(), "mod", "download", "-json", coordinate)
                    .directory(workDir.toFile());
            Map<String, String> env = builder.environment();
            env.remove("GOFLAGS"); // e.g. -mod=vendor or -modfile=... would break or redirect the download
            env.put("GO111MODULE", "on");
            env.put("GOWORK", "off");
            Path stderr = workDir.resolve("stderr");
            builder.redirectError(stderr.toFile());
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(DOWNLOAD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("go mod download " + coordinate + " did not finish in "
                        + DOWNLOAD_TIMEOUT_MINUTES + " min");
            }
            String printed = new String(out, StandardCharsets.UTF_8);
            String errors = Files.readString(stderr).strip();
            JsonNode json = printed.isBlank() ? null : new ObjectMapper().readTree(printed);
            if (process.exitValue() != 0 || json == null || json.hasNonNull("Error")) {
                String error = json != null && json.hasNonNull("Error") ? json.get("Error").asText() : errors;
                throw new IllegalStateException("go mod download " + coordinate + " failed (exit code "
                        + process.exitValue() + "): " + error);
            }
            String sum = json.path("Sum").asText("");
            if (!sum.equals(PINNED.get(version))) {
                throw new IllegalStateException("MetalLB module " + coordinate + " has hash " + sum + ", but "
                        + MetalLbSource.class.getSimpleName() + " pins " + PINNED.get(version)
                        + ": the module proxy or Go's module cache serves different content");
            }
            Path dir = Path.of(json.path("Dir").asText(""));
            if (!json.hasNonNull("Dir") || !Files.isDirectory(dir)) {
                throw new IllegalStateException("go mod download " + coordinate + " reported no module directory: "
                        + printed);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + go + " mod download " + coordinate, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading " + coordinate, e);
        } finally {
            deleteQuietly(workDir);
        }
    }

    /** {@code go} on PATH, else the standard install location. */
    static Path goCommand() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "go"))) {
                    return Path.of(dir, "go");
                }
            }
        }
        Path standard = Path.of("/usr/local/go/bin/go");
        if (Files.isExecutable(standard)) {
            return standard;
        }
        throw new IllegalStateException("the go command is needed to fetch MetalLB's files (module " + MODULE
                + ") but is neither on PATH nor at " + standard + "; install Go (https://go.dev/dl/)");
    }

    private static Path existing(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalStateException("MetalLB module has no " + file);
        }
        return file;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover empty temporary directory is harmless
        }
    }
}
