package io.ferrolb.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the repository's cached build scripts ({@code tools/.../build.sh}), which print the
 * directory of what they built as their last line: at once when the cache holds it, after a build
 * (minutes) when not.
 */
final class BuildScript {

    private static final long TIMEOUT_MINUTES = 30;

    private BuildScript() {
    }

    /** The version a wrapper module's go.mod requires of {@code module} (e.g. {@code v1.34.4}). */
    static String requiredVersion(String goModPath, String module) {
        Path goMod = ControlPlaneBinaries.repositoryRoot().resolve(goModPath);
        try {
            return java.nio.file.Files.readAllLines(goMod).stream().map(String::strip)
                    .filter(l -> l.startsWith("require " + module + " "))
                    .map(l -> l.split("\\s+")[2]).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + module + " in " + goMod));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The directory the script printed; its progress goes to this process's standard error. */
    static Path run(String script, String... args) {
        Path path = ControlPlaneBinaries.repositoryRoot().resolve(script);
        List<String> command = new ArrayList<>(List.of("bash", path.toString()));
        command.addAll(List.of(args));
        try {
            Process build = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            byte[] out = build.getInputStream().readAllBytes();
            if (!build.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                build.destroyForcibly();
                throw new IllegalStateException(script + " did not finish in " + TIMEOUT_MINUTES + " min");
            }
            if (build.exitValue() != 0) {
                throw new IllegalStateException(script + " failed with exit code " + build.exitValue());
            }
            String printed = new String(out, StandardCharsets.UTF_8).strip();
            return Path.of(printed.substring(printed.lastIndexOf('\n') + 1));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }
}
