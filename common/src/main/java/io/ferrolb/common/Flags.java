package io.ferrolb.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Command-line flags in Go's style ({@code --name=value}, {@code --name value}, bare
 * {@code --name} for true), each with an optional environment variable as fallback, as MetalLB's
 * binaries take them.
 *
 * <p>A flag is declared by reading it ({@link #string}, {@link #integer}, {@link #bool},
 * {@link #choice}); {@link #requireAllKnown()} then rejects any given flag that nothing read. A
 * value that does not parse is rejected with the flag's name and what it accepts, never taken
 * for a default: a typo in a manifest must stop the binary, not change its behaviour.
 */
public final class Flags {

    /** Go's {@code strconv.ParseBool} spellings, which MetalLB's flags accept. */
    private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> known = new TreeSet<>();
    private final Function<String, String> env;

    public Flags(String[] args, Set<String> booleans) {
        this(args, booleans, System::getenv);
    }

    public Flags(String[] args, Set<String> booleans, Function<String, String> env) {
        this.env = env;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new IllegalArgumentException("unexpected argument \"" + arg + "\": flags are --name=value");
            }
            String body = arg.replaceFirst("^--?", "");
            int eq = body.indexOf('=');
            if (eq >= 0) {
                values.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (booleans.contains(body)) {
                values.put(body, "true");
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(body, args[++i]);
            } else {
                values.put(body, null);
            }
        }
    }

    /** The flag, else the environment variable (if named), else the default. */
    public String string(String name, String envVar, String defaultValue) {
        known.add(name);
        if (values.containsKey(name) && values.get(name) == null) {
            throw new IllegalArgumentException("flag --" + name + " needs a value");
        }
        String value = values.get(name);
        if (value == null && envVar != null) {
            value = env.apply(envVar);
        }
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    /** A whole number; anything else is an error naming the flag. */
    public int integer(String name, String envVar, int defaultValue) {
        String value = string(name, envVar, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw invalid(name, envVar, value, "a whole number");
        }
    }

    /** A boolean in Go's spellings (true/false, 1/0, t/f...); anything else is an error naming the flag. */
    public boolean bool(String name, String envVar, boolean defaultValue) {
        String value = string(name, envVar, null);
        if (value == null) {
            return defaultValue;
        }
        if (TRUE.contains(value)) {
            return true;
        }
        if (FALSE.contains(value)) {
            return false;
        }
        throw invalid(name, envVar, value, "true or false");
    }

    /** One of {@code accepted} (compared without case, returned as listed); else an error listing them. */
    public String choice(String name, String envVar, String defaultValue, List<String> accepted) {
        String value = string(name, envVar, defaultValue);
        if (value == null) {
            return null;
        }
        for (String a : accepted) {
            if (a.equalsIgnoreCase(value.strip())) {
                return a;
            }
        }
        throw invalid(name, envVar, value, "one of " + String.join(", ", accepted));
    }

    /**
     * Rejects flags that were given but never read: a misspelt flag would otherwise be ignored
     * and its setting silently left at the default. Call after every flag has been read.
     */
    public void requireAllKnown() {
        List<String> unknown = new ArrayList<>();
        values.keySet().stream().filter(name -> !known.contains(name)).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException((unknown.size() == 1 ? "unknown flag --" : "unknown flags --")
                    + String.join(", --", unknown) + "; known flags: --" + String.join(", --", known));
        }
    }

    private IllegalArgumentException invalid(String name, String envVar, String value, String accepted) {
        String source = values.get(name) != null || envVar == null ? "--" + name : envVar + " (--" + name + ")";
        return new IllegalArgumentException("invalid value \"" + value + "\" for " + source + ": expected " + accepted);
    }
}
