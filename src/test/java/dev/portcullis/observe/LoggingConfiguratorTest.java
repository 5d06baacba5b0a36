package dev.portcullis.observe;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingConfiguratorTest {

    @Test
    void configuresAnAsyncConsoleAppenderThatNeverDropsAndQuietsLibraries() {
        String previous = System.clearProperty("logback.configurationFile");
        try {
            LoggerContext context = new LoggerContext();
            LoggingConfigurator configurator = new LoggingConfigurator();
            configurator.setContext(context);
            assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

            ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            assertThat(root.getAppender("ASYNC")).isInstanceOfSatisfying(AsyncAppender.class, async -> {
                assertThat(async.getDiscardingThreshold()).isZero();
                assertThat(async.isNeverBlock()).isFalse();
                assertThat(async.getAppender("STDOUT")).isNotNull();
            });
            assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
            context.stop();
        } finally {
            if (previous != null) {
                System.setProperty("logback.configurationFile", previous);
            }
        }
    }

    @Test
    void anExplicitConfigurationFileTakesOver() {
        String previous = System.setProperty("logback.configurationFile", "custom.xml");
        try {
            LoggerContext context = new LoggerContext();
            LoggingConfigurator configurator = new LoggingConfigurator();
            configurator.setContext(context);
            assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            if (previous == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", previous);
            }
        }
    }
}
