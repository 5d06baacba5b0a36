package dev.portcullis.store;

/**
 * How long anything may wait on the database, so that an unreachable or slow database turns into a
 * prompt "try again shortly" instead of requests piling up on it (README, Reliability).
 *
 * @param waitMillis              the longest a request waits for a pooled connection (HikariCP's connectionTimeout)
 * @param statementTimeoutMillis  the longest one statement may run, lock waits included: PostgreSQL's
 *                                {@code statement_timeout}, SQLite's {@code busy_timeout}
 * @param maxWaiting              how many threads may wait for a connection at once; past that a request is
 *                                refused at once, so a slow database cannot hold every HTTP thread
 */
public record DatabaseLimits(int waitMillis, int statementTimeoutMillis, int maxWaiting) {

    public static final DatabaseLimits DEFAULT = new DatabaseLimits(2_000, 3_000, 32);

    public DatabaseLimits {
        if (waitMillis < 250 || statementTimeoutMillis < 100 || maxWaiting < 1) {
            throw new IllegalArgumentException("database limits out of range: " + waitMillis + " ms, " + statementTimeoutMillis
                    + " ms, " + maxWaiting);
        }
    }

    /**
     * PostgreSQL's socket timeout, in whole seconds: what ends a statement whose answer never comes (a network
     * partition, where no reset arrives). Longer than the statement timeout, so the server's own cancel of a slow
     * statement comes first and leaves the connection usable.
     */
    int socketTimeoutSeconds() {
        return (int) Math.ceil(statementTimeoutMillis / 1000.0) + 2;
    }

    /** PostgreSQL's connect and login timeouts, in whole seconds: a connection attempt into a partition gives up. */
    int connectTimeoutSeconds() {
        return (int) Math.ceil(waitMillis / 1000.0) + 1;
    }

    /** HikariCP's check of an idle connection before lending it; it must stay below the wait. */
    long validationTimeoutMillis() {
        return Math.max(250, Math.min(1_000, waitMillis / 2));
    }
}
