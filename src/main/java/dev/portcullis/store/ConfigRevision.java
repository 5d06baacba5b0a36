package dev.portcullis.store;

/**
 * A counter bumped with every configuration change, in the change's own transaction. Each instance
 * polls it and drops its caches when it moves, so a client disabled through the CLI or on another
 * instance stops working everywhere within one poll interval. On PostgreSQL the bump also notifies
 * {@link #CHANNEL} with the new revision; PostgreSQL delivers it when (and only if) the transaction
 * commits, so {@link ConfigChangeListener}s drop their caches within milliseconds instead.
 */
public final class ConfigRevision {

    /** The PostgreSQL notification channel; the payload is the new revision in decimal. */
    public static final String CHANNEL = "portcullis_config";

    private ConfigRevision() {
    }

    public static void bump(Sql transaction) {
        if (transaction.isPostgres()) {
            // One statement, so the notification carries exactly the revision this change wrote.
            transaction.query("WITH bumped AS (UPDATE config_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision) "
                    + "SELECT pg_notify('" + CHANNEL + "', revision::text) FROM bumped", row -> Boolean.TRUE);
        } else {
            transaction.update("UPDATE config_revision SET revision = revision + 1 WHERE id = 1");
        }
    }

    public static long current(Sql sql) {
        return sql.queryOne("SELECT revision FROM config_revision WHERE id = 1", row -> row.getLong(1)).orElse(0L);
    }
}
