package dev.portcullis.store;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Listens on PostgreSQL for {@link ConfigRevision#CHANNEL} and drops this instance's caches when a
 * change commits anywhere, so instances follow each other within milliseconds, not a poll interval.
 *
 * <p>It holds one connection of its own, opened with {@link DriverManager} rather than borrowed from
 * the pool: a LISTEN lasts as long as its session, so a pooled connection would be lost to the pool
 * for good (and the pool may recycle it, silently ending the LISTEN). The connection belongs to the
 * listener's thread alone: the driver holds its lock while it waits for notifications, so another
 * thread closing it would block; instead the thread waits in short slices and checks {@link #close}.
 *
 * <p>When the connection breaks (a database restart, a terminated backend) it reconnects with backoff,
 * warning once per outage, and drops the caches once connected again, since changes may have
 * committed unheard meanwhile; the poll covers that time. It connects on its own thread, so a
 * database briefly unreachable at start delays nothing.
 */
final class ConfigChangeListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigChangeListener.class);

    /** How the connection shows in pg_stat_activity, for operators (and for tests that end it). */
    static final String APPLICATION_NAME = "portcullis-config-listener";

    /** One wait for notifications: also how long {@link #close} may wait for the thread. */
    private static final int WAIT_MILLIS = 250;
    private static final long FIRST_BACKOFF_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** A connection silent this long runs a query: a network that drops packets without a reset breaks no read. */
    private static final long PROBE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String jdbcUrl;
    private final ConfigChanges changes;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    private ConfigChangeListener(String jdbcUrl, ConfigChanges changes) {
        this.jdbcUrl = jdbcUrl;
        this.changes = changes;
        this.thread = new Thread(this::run, "portcullis-config-listener");
        thread.setDaemon(true);
    }

    static ConfigChangeListener start(String jdbcUrl, ConfigChanges changes) {
        ConfigChangeListener listener = new ConfigChangeListener(jdbcUrl, changes);
        listener.thread.start();
        return listener;
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MILLIS;
        boolean listenedBefore = false;
        long outageStarted = 0;
        while (!stopping()) {
            try (Connection connection = connect()) {
                long revision = listen(connection);
                if (listenedBefore) {
                    changes.resynchronise(revision);
                } else {
                    // A change committed between reading the starting revision and LISTEN would be unheard.
                    changes.reached(revision);
                }
                if (outageStarted != 0) {
                    LOG.info("Listening for configuration changes after {} s without",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageStarted));
                }
                listenedBefore = true;
                outageStarted = 0;
                backoff = FIRST_BACKOFF_MILLIS;
                receive(connection);
            } catch (SQLException | RuntimeException e) {
                if (stopping()) {
                    break;
                }
                if (outageStarted == 0) {
                    outageStarted = System.nanoTime();
                    LOG.warn("Not listening for configuration changes ({}); retrying with backoff up to {} s, and meanwhile "
                            + "changes from other instances arrive by the cache_refresh_seconds poll", e.getMessage(), MAX_BACKOFF_MILLIS / 1000);
                } else {
                    LOG.debug("Still not listening for configuration changes: {}", e.getMessage());
                }
            }
            if (await(backoff)) {
                break;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
        LOG.debug("Configuration change listener stopped");
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("connectTimeout", "5");
        // Bounds the probe query on a dead network; the driver sets its own timeout while waiting for notifications.
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("tcpKeepAlive", "true");
        Connection connection = DriverManager.getConnection(jdbcUrl, properties);
        try (Statement statement = connection.createStatement()) {
            // The URL may name an application of its own, which would win over the property.
            statement.execute("SET application_name = '" + APPLICATION_NAME + "'");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** Starts listening, then reads the revision: a change is either in that read or notified after it. */
    private static long listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + ConfigRevision.CHANNEL);
        }
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT revision FROM config_revision WHERE id = 1")) {
            return rows.next() ? rows.getLong(1) : 0L;
        }
    }

    /** Waits for notifications until stopped; throws when the connection breaks. */
    private void receive(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long lastHeard = System.nanoTime();
        while (!stopping()) {
            PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                // Notifications arrive in commit order, and each bump's carries its revision: the last one is current.
                apply(notifications[notifications.length - 1].getParameter());
                lastHeard = System.nanoTime();
            } else if (System.nanoTime() - lastHeard > PROBE_AFTER_NANOS) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                lastHeard = System.nanoTime();
            }
        }
    }

    private void apply(String payload) {
        try {
            long revision = Long.parseLong(payload);
            if (changes.reached(revision)) {
                LOG.debug("Configuration revision {} (notified): caches dropped", revision);
            }
        } catch (NumberFormatException e) {
            // Not one of ours (a hand-sent NOTIFY): something changed, so drop the caches anyway.
            changes.changed();
        }
    }

    /** Sleeps, or returns true at once when stopped. */
    private boolean await(long millis) {
        try {
            return stop.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Stops the thread, which closes its connection; waits briefly, since the thread is a daemon either way. */
    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
