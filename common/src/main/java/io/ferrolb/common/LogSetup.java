package io.ferrolb.common;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * Logback's configuration for both binaries, found through {@code ServiceLoader}: one line per
 * event on standard output, key=value context in the message, the root level from
 * {@code FERROLB_LOG_LEVEL} (the chart's {@code logLevel}, default INFO).
 *
 * <p>In code rather than in a {@code logback.xml} because reading that file loads logback's XML
 * configurator and the JDK's XML parser, about 460 classes a speaker otherwise never uses: start-up
 * time and metaspace on every node (docs/benchmarks.md). {@code -Dlogback.configurationFile} still
 * takes a file instead, and tests keep the testkit's {@code logback-test.xml}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";

    /**
     * Libraries' levels: scalecube warns about every refused connection while peers start, and our
     * membership logs what matters; fabric8 and the operator framework only above INFO.
     */
    static final Map<String, Level> LIBRARIES = Map.of(
            "io.fabric8", Level.WARN,
            "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", Level.ERROR,
            "io.scalecube", Level.ERROR,
            "reactor.netty", Level.ERROR,
            "io.javaoperatorsdk", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (overridden()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** A file named by {@code -Dlogback.configurationFile}, or the tests' {@code logback-test.xml}, is read instead. */
    static boolean overridden() {
        return System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null;
    }

    static void apply(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel(System.getenv("FERROLB_LOG_LEVEL")));
        root.addAppender(console);
        LIBRARIES.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    /** The root level named by {@code FERROLB_LOG_LEVEL}: ALL, DEBUG, INFO, WARN, ERROR or OFF; INFO when unset. */
    static Level rootLevel(String name) {
        return Level.toLevel(name, Level.INFO);
    }
}
