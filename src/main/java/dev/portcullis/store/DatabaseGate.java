package dev.portcullis.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The way every request reaches the connection pool. It does two things a pool alone does not:
 *
 * <p><b>Fail fast while the database is unreachable.</b> After a connection-class failure (nothing
 * answers, the connection broke, the server is shutting down) the gate is open: requests are refused
 * at once rather than each waiting out the pool's connection timeout, which would hold an HTTP thread
 * per request for seconds and starve the requests that need no database at all. One request a
 * {@link #RETRY_NANOS second} is let through to try (a half-open circuit breaker), as is every
 * readiness probe, so service resumes within about a second of the database coming back, with no restart.
 *
 * <p><b>Bound the queue for connections.</b> At most {@link DatabaseLimits#maxWaiting()} threads wait
 * for a connection at once, each for at most {@link DatabaseLimits#waitMillis()}; past that a request is
 * refused at once. A slow database (a held lock, a long statement) then ties up a bounded number of
 * HTTP threads, not all of them.
 *
 * <p>A statement timeout or a pool merely busy for its whole wait is not an outage: it fails that
 * request only, and the next request tries again.
 */
public final class DatabaseGate {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseGate.class);
    /** How often, while the database is unreachable, one request may try it. */
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A refusal by the gate itself: says why, and never counts as a new failure. */
    public static final class Refused extends SQLTransientConnectionException {
        Refused(String reason) {
            super(reason, "08001");
        }
    }

    private final DataSource pool;
    private final Semaphore waiting;
    private final AtomicBoolean open = new AtomicBoolean();
    private final AtomicLong nextTrialAt = new AtomicLong();
    private final AtomicLong openedAt = new AtomicLong();

    DatabaseGate(DataSource pool, int maxWaiting) {
        this.pool = pool;
        this.waiting = new Semaphore(maxWaiting);
    }

    /** Whether the database is believed reachable (the last attempt to use it did not fail for want of a connection). */
    public boolean isAvailable() {
        return !open.get();
    }

    Connection connection() throws SQLException {
        if (open.get() && !claimTrial()) {
            throw new Refused("the database is unreachable; try again shortly");
        }
        if (!waiting.tryAcquire()) {
            throw new Refused("too many requests are waiting for a database connection");
        }
        try {
            Connection connection = pool.getConnection();
            succeeded();
            return connection;
        } catch (SQLException e) {
            failed(e);
            throw e;
        } finally {
            waiting.release();
        }
    }

    /** Closes a connection for good instead of returning it to the pool (its state can no longer be trusted). */
    void discard(Connection connection) {
        if (pool instanceof com.zaxxer.hikari.HikariDataSource hikari) {
            hikari.evictConnection(connection);
        }
    }

    /**
     * Tries the database whatever the gate's state (a readiness probe): a working connection closes the gate,
     * a connection failure opens it.
     */
    public boolean probe(int timeoutSeconds) {
        try (Connection connection = pool.getConnection()) {
            boolean valid = connection.isValid(timeoutSeconds);
            if (valid) {
                succeeded();
            }
            return valid;
        } catch (SQLException e) {
            failed(e);
            return false;
        }
    }

    /** Reports how a statement ended, so a connection that breaks mid-statement opens the gate too. */
    void failed(SQLException e) {
        if (e instanceof Refused || !isConnectionFailure(e)) {
            return;
        }
        nextTrialAt.set(System.nanoTime() + RETRY_NANOS);
        if (open.compareAndSet(false, true)) {
            openedAt.set(System.nanoTime());
            LOG.warn("The database is unreachable ({}); refusing requests that need it until it answers again", e.getMessage());
        }
    }

    private void succeeded() {
        if (open.compareAndSet(true, false)) {
            LOG.info("The database answers again after {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt.get()));
        }
    }

    /** One caller a retry interval gets to try the database while the gate is open. */
    private boolean claimTrial() {
        long due = nextTrialAt.get();
        long now = System.nanoTime();
        return now - due >= 0 && nextTrialAt.compareAndSet(due, now + RETRY_NANOS);
    }

    /**
     * A failure to reach the database, as opposed to a failure of one statement: SQL state class 08
     * (connection exception, which PgJDBC also gives for a read that timed out), the server shutting
     * down or not yet accepting connections (57P01-57P03), or a pool that timed out while its last
     * attempt to open a connection had failed.
     */
    static boolean isConnectionFailure(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.SocketTimeoutException
                    || cause instanceof java.net.NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /** The pool behind the gate, as a {@link DataSource} (Flyway and tools get connections through it). */
    DataSource asDataSource() {
        return new GatedDataSource();
    }

    private final class GatedDataSource implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return connection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("the pool's credentials are fixed");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return pool.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return type.isInstance(pool) ? type.cast(pool) : pool.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(pool) || pool.isWrapperFor(type);
        }
    }
}
