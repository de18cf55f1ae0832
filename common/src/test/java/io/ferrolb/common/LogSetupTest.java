package io.ferrolb.common;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {

    @Test
    void logbackFindsItAndTestsKeepTheirOwnFile() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(LogSetup.class);
        assertThat(LogSetup.overridden()).as("the testkit's logback-test.xml is on the class path").isTrue();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(context.getLogger("io.scalecube.cluster").getEffectiveLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).isNotNull();
    }

    @Test
    void oneLinePerEventWithTheLibrariesQuieter() {
        LoggerContext context = new LoggerContext();
        LogSetup.apply(context);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        var console = (ConsoleAppender<?>) root.getAppender("STDOUT");
        assertThat(console.isStarted()).isTrue();
        assertThat(((LayoutWrappingEncoder<?>) console.getEncoder()).getLayout()).isNotNull();
        assertThat(context.getLogger("io.fabric8.kubernetes.client.informers").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils").getEffectiveLevel())
                .isEqualTo(Level.ERROR);
        assertThat(context.getLogger("reactor.netty.tcp").getEffectiveLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("io.ferrolb.speaker").getEffectiveLevel()).isEqualTo(root.getLevel());
        context.stop();
    }

    @Test
    void theRootLevelIsTheChartsLogLevel() {
        assertThat(LogSetup.rootLevel(null)).isEqualTo(Level.INFO);
        assertThat(LogSetup.rootLevel("DEBUG")).isEqualTo(Level.DEBUG);
        assertThat(LogSetup.rootLevel("OFF")).isEqualTo(Level.OFF);
        assertThat(LogSetup.rootLevel("ALL")).isEqualTo(Level.ALL);
        assertThat(LogSetup.rootLevel("nonsense")).isEqualTo(Level.INFO);
    }
}
