package io.ferrolb.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that the pure packages stay pure: every import of their sources must start with one of
 * the allowed prefixes. A source scan rather than a bytecode one, because it names the offending
 * line.
 */
public final class SourceImports {

    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;");

    private SourceImports() {
    }

    /**
     * The imports under {@code sourceRoot/<package as path>} (sub-packages included) that start
     * with none of {@code allowedPrefixes}, as {@code File.java: import a.b.C}.
     */
    public static List<String> violations(Path sourceRoot, String javaPackage, List<String> allowedPrefixes) {
        Path dir = sourceRoot.resolve(javaPackage.replace('.', '/'));
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no package directory " + dir);
        }
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    Matcher m = IMPORT.matcher(line);
                    if (m.find() && allowedPrefixes.stream().noneMatch(m.group(1)::startsWith)) {
                        found.add(sourceRoot.relativize(file) + ": import " + m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
