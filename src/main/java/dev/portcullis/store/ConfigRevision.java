package dev.portcullis.store;

/**
 * A counter bumped with every configuration change, in the change's own transaction.
 * Each instance polls it and drops its caches when it moves, so a client disabled through
 * the CLI or on another instance stops working everywhere within one poll interval.
 */
public final class ConfigRevision {

    private ConfigRevision() {
    }

    public static void bump(Sql transaction) {
        transaction.update("UPDATE config_revision SET revision = revision + 1 WHERE id = 1");
    }

    public static long current(Sql sql) {
        return sql.queryOne("SELECT revision FROM config_revision WHERE id = 1", row -> row.getLong(1)).orElse(0L);
    }
}
