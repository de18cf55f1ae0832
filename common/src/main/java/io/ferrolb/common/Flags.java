package io.ferrolb.common;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Command-line flags in Go's style ({@code --name=value}, {@code --name value}, bare
 * {@code --name} for true), each with an optional environment variable as fallback, as MetalLB's
 * binaries take them.
 */
public final class Flags {

    private final Map<String, String> values = new HashMap<>();
    private final Function<String, String> env;

    public Flags(String[] args, Set<String> booleans) {
        this(args, booleans, System::getenv);
    }

    public Flags(String[] args, Set<String> booleans, Function<String, String> env) {
        this.env = env;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String body = arg.replaceFirst("^--?", "");
            int eq = body.indexOf('=');
            if (eq >= 0) {
                values.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (booleans.contains(body)) {
                values.put(body, "true");
            } else if (i + 1 < args.length) {
                values.put(body, args[++i]);
            } else {
                throw new IllegalArgumentException("flag --" + body + " needs a value");
            }
        }
    }

    /** The flag, else the environment variable (if named), else the default. */
    public String string(String name, String envVar, String defaultValue) {
        String value = values.get(name);
        if (value == null && envVar != null) {
            value = env.apply(envVar);
        }
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    public int integer(String name, String envVar, int defaultValue) {
        String value = string(name, envVar, null);
        return value == null ? defaultValue : Integer.parseInt(value);
    }

    public boolean bool(String name, String envVar, boolean defaultValue) {
        String value = string(name, envVar, null);
        return value == null ? defaultValue : Boolean.parseBoolean(value);
    }
}
