package io.ferrolb.helm;

import io.ferrolb.testkit.ControlPlaneBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flags and environment variables a binary reads, taken from its options source. A misspelt
 * flag in the chart would stop the binary at start ({@code Flags.requireAllKnown}); comparing with
 * the source catches it before any pod runs.
 *
 * @param booleans flags that may be given bare ({@code --ignore-exclude-lb})
 */
record BinaryFlags(Set<String> flags, Set<String> booleans, Set<String> env) {

    private static final Pattern FLAG = Pattern.compile("f\\.(?:string|integer|bool|choice)\\(\"([a-z0-9-]+)\",\\s*(?:null|\"([A-Z0-9_]+)\")");
    private static final Pattern BOOLEANS = Pattern.compile("new Flags\\(args, Set\\.of\\(([^)]*)\\)\\)");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    private static final Pattern LOGBACK_ENV = Pattern.compile("System\\.getenv\\(\"([A-Z0-9_]+)\"\\)");

    static BinaryFlags controller() {
        return read("controller/src/main/java/io/ferrolb/controller/ControllerOptions.java");
    }

    static BinaryFlags speaker() {
        return read("speaker/src/main/java/io/ferrolb/speaker/SpeakerOptions.java");
    }

    private static BinaryFlags read(String optionsSource) {
        Path root = ControlPlaneBinaries.repositoryRoot();
        String source = text(root.resolve(optionsSource));
        Set<String> flags = new TreeSet<>();
        Set<String> env = new TreeSet<>();
        Matcher m = FLAG.matcher(source);
        while (m.find()) {
            flags.add(m.group(1));
            if (m.group(2) != null) {
                env.add(m.group(2));
            }
        }
        // Both binaries set the log level through logback's configuration in common/.
        Matcher logback = LOGBACK_ENV.matcher(text(root.resolve("common/src/main/java/io/ferrolb/common/LogSetup.java")));
        while (logback.find()) {
            env.add(logback.group(1));
        }
        Set<String> booleans = new TreeSet<>();
        Matcher b = BOOLEANS.matcher(source);
        if (b.find()) {
            Matcher q = QUOTED.matcher(b.group(1));
            while (q.find()) {
                booleans.add(q.group(1));
            }
        }
        if (flags.size() < 5) {
            throw new IllegalStateException("found only " + flags + " in " + optionsSource + "; has its style changed?");
        }
        return new BinaryFlags(flags, booleans, env);
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
