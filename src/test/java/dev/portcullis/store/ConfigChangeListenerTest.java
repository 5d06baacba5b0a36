package dev.portcullis.store;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** The listener's behaviour while PostgreSQL is away; ConfigChangePropagationTest covers it at work. */
class ConfigChangeListenerTest {

    @Test
    void anUnreachableDatabaseWarnsOnceNotOnEveryAttemptAndStopsPromptly() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Logger logger = (Logger) LoggerFactory.getLogger(ConfigChangeListener.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
        try {
            long started = System.nanoTime();
            ConfigChangeListener listener = ConfigChangeListener.start(
                    "jdbc:postgresql://127.0.0.1:" + closedPort + "/portcullis?user=postgres", new ConfigChanges(0));
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms start() took").isLessThan(500);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (retries(appender) < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long closing = System.nanoTime();
            listener.close();
            assertThat((System.nanoTime() - closing) / 1_000_000).as("ms close() took in backoff").isLessThan(500);

            assertThat(retries(appender)).as("attempts after the first").isGreaterThanOrEqualTo(1);
            assertThat(appender.list.stream().filter(event -> event.getLevel() == Level.WARN))
                    .singleElement().satisfies(event -> assertThat(event.getFormattedMessage()).contains("Not listening"));
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
    }

    private static long retries(ListAppender<ILoggingEvent> appender) {
        return appender.list.stream().filter(event -> event.getFormattedMessage().startsWith("Still not listening")).count();
    }
}
