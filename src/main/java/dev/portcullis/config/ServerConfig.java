package dev.portcullis.config;

import dev.portcullis.store.DatabaseLimits;
import dev.portcullis.web.TrustedProxies;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The server's settings, read from one YAML file with PORTCULLIS_* environment overrides
 * (see {@link ConfigLoader} and the README's configuration reference).
 *
 * @param housekeepingIntervalSeconds   {@code housekeeping_interval_seconds}: how often expired sessions, codes,
 *                                      refresh tokens and the like are deleted
 * @param tokenWorkers                  {@code token_workers}: how many token requests do their work at once, the rest
 *                                      waiting in arrival order; 0 for no limit
 * @param registrationsPerMinute        {@code registration_requests_per_minute_per_address}: dynamic client
 *                                      registrations (RFC 7591) one client address may make per minute and tenant on
 *                                      this instance; 0 for no limit
 * @param metadataDocumentsFromLoopback {@code client_id_metadata_documents_allow_loopback}: client metadata
 *                                      documents may be fetched from loopback addresses; for tests and development
 *                                      on one machine, and only accepted with a loopback bind
 */
public record ServerConfig(
        int port,
        String bind,
        String publicUrl,
        String apiUrl,
        String database,
        Optional<Path> tenantsFile,
        Optional<String> masterKey,
        String signingAlgorithm,
        int cacheRefreshSeconds,
        int databasePoolSize,
        int sessionIdleTimeout,
        int sessionAbsoluteTimeout,
        int housekeepingIntervalSeconds,
        int httpThreads,
        int tokenWorkers,
        long cacheMaxBytes,
        boolean allowInsecureHttp,
        int managementPort,
        String managementBind,

        TrustedProxies trustedProxies,
        int registrationsPerMinute,
        boolean metadataDocumentsFromLoopback,
        DatabaseLimits databaseLimits,
        PasswordHashing passwordHashing) {

    /**
     * How many sign-ins may hash a password or wait to ({@code password_hash_queue}), and for how long
     * ({@code password_hash_max_wait_ms}), before one is refused with 503.
     */
    public record PasswordHashing(int queue, int maxWaitMillis) {
    }

    /** The JDBC URL for {@link #database()}, which may be given as a plain SQLite file path. */
    public String jdbcUrl() {
        if (database.startsWith("jdbc:")) {
            return database;
        }
        return "jdbc:sqlite:" + database;
    }

    /** Whether the database is the embedded SQLite store (the default), as opposed to PostgreSQL. */
    public boolean isSqlite() {
        return jdbcUrl().startsWith("jdbc:sqlite:");
    }

    public boolean bindsToLoopback() {
        return Loopback.isLoopback(bind);
    }

    /** The directory beside the SQLite file, where the embedded default keeps its generated master key. */
    public Optional<Path> sqliteDataDirectory() {
        String url = jdbcUrl();
        if (!url.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file::memory:")) {
            return Optional.empty();
        }
        Path parent = Path.of(file).toAbsolutePath().normalize().getParent();
        return Optional.ofNullable(parent);
    }
}
