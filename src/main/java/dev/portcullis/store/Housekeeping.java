package dev.portcullis.store;

import dev.portcullis.tenant.LoginThrottlePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Deletes what has expired: sessions, codes, pushed authorization requests, old login failures, dead refresh families
 * and spent DPoP proofs whose iat window has passed.
 * Every instance runs it; the deletes are idempotent, and a random start spreads them out.
 */
public final class Housekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final Sql sql;
    private final Clock clock;
    private final long sessionIdle;
    private final long sessionAbsolute;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "portcullis-housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    /** Runs every {@code intervalSeconds}, the first time after a random part of that (instances spread their runs). */
    public Housekeeping(Sql sql, Clock clock, long sessionIdle, long sessionAbsolute, int intervalSeconds) {
        this.sql = sql;
        this.clock = clock;
        this.sessionIdle = sessionIdle;
        this.sessionAbsolute = sessionAbsolute;
        scheduler.scheduleWithFixedDelay(this::run, ThreadLocalRandom.current().nextInt(intervalSeconds / 10, intervalSeconds + 1),
                intervalSeconds, TimeUnit.SECONDS);
    }

    void run() {
        long now = clock.instant().getEpochSecond();
        try {
            int sessions = delete("DELETE FROM browser_sessions WHERE last_seen_at < ? OR created_at < ?",
                    now - sessionIdle, now - sessionAbsolute);
            int codes = delete("DELETE FROM authorization_codes WHERE expires_at < ?", now - 86_400);
            delete("DELETE FROM revoked_access_tokens WHERE expires_at < ?", now);
            int pushed = delete("DELETE FROM pushed_authorization_requests WHERE expires_at < ?", now);
            int proofs = delete("DELETE FROM dpop_proofs WHERE expires_at < ?", now);
            // no tenant's window is longer, so every count still in force survives
            int failures = delete("DELETE FROM login_failures WHERE next_allowed_at < ?",
                    now - LoginThrottlePolicy.LONGEST_WINDOW_SECONDS);
            int tokens = sql.inTransaction(tx -> {
                allowLongStatements(tx);
                int deleted = tx.update("DELETE FROM refresh_tokens WHERE family_id IN "
                        + "(SELECT id FROM refresh_families WHERE absolute_expires_at < ?)", now);
                tx.update("DELETE FROM refresh_families WHERE absolute_expires_at < ?", now);
                return deleted;
            });
            LOG.debug("Housekeeping removed {} sessions, {} codes, {} pushed requests, {} login failure records, {} refresh tokens, "
                    + "{} DPoP proofs", sessions, codes, pushed, failures, tokens, proofs);
        } catch (RuntimeException e) {
            LOG.warn("Housekeeping failed: {}", e.getMessage());
        }
    }

    private int delete(String statement, Object... params) {
        return sql.inTransaction(tx -> {
            allowLongStatements(tx);
            return tx.update(statement, params);
        });
    }

    /**
     * A backlog of expired rows may take longer to delete than the statement timeout that keeps requests
     * prompt (database_statement_timeout_ms); housekeeping runs in the background, so its own transactions
     * lift it (SET LOCAL ends with the transaction, leaving the pooled connection as it was).
     */
    private static void allowLongStatements(Sql tx) {
        if (tx.isPostgres()) {
            tx.query("SELECT set_config('statement_timeout', '300s', true)", row -> Boolean.TRUE);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
