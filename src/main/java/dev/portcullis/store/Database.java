package dev.portcullis.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The connection pool and schema for SQLite (embedded default) or PostgreSQL (production). */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final boolean sqlite;
    private final DatabaseGate gate;
    private final boolean migrated;

    private Database(HikariDataSource dataSource, boolean sqlite, DatabaseLimits limits, boolean migrated) {
        this.dataSource = dataSource;
        this.sqlite = sqlite;
        this.gate = new DatabaseGate(dataSource, limits.maxWaiting());
        this.migrated = migrated;
    }

    public static Database open(String jdbcUrl, int poolSize) {
        return open(jdbcUrl, poolSize, DatabaseLimits.DEFAULT);
    }

    /** Opens the pool with {@code limits} on every wait, and migrates the schema. */
    public static Database open(String jdbcUrl, int poolSize, DatabaseLimits limits) {
        boolean sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
        HikariConfig config = poolConfig(jdbcUrl, poolSize, limits);
        if (sqlite) {
            createPrivateFile(jdbcUrl);
            // WAL lets readers run beside the single writer; busy_timeout makes writers queue instead of failing.
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        boolean migrated = false;
        try {
            // Flyway only when there is something for it to do or refuse: starting it costs more than the check
            if (!SchemaCheck.isCurrent(dataSource)) {
                if (sqlite) {
                    flyway(dataSource).migrate();
                } else {
                    migrateWithoutStatementTimeout(jdbcUrl);
                }
                migrated = true;
            }
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, sqlite, limits, migrated);
    }

    /**
     * The pool's settings. Every wait is bounded (README, Reliability): for a connection by the pool's
     * connectionTimeout; on PostgreSQL each statement by {@code statement_timeout} (the server cancels it,
     * lock waits included, and the connection stays usable), a read that never gets an answer by the
     * driver's socketTimeout, a connection attempt by connectTimeout and loginTimeout; on SQLite a wait
     * for the write lock by {@code busy_timeout}. A URL's own parameters win over these.
     */
    private static HikariConfig poolConfig(String jdbcUrl, int poolSize, DatabaseLimits limits) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("portcullis");
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(limits.waitMillis());
        config.setValidationTimeout(limits.validationTimeoutMillis());
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            String busy = String.valueOf(limits.statementTimeoutMillis());
            config.addDataSourceProperty("busy_timeout", busy);
            config.addDataSourceProperty("foreign_keys", "true");
            // Take the write lock when a transaction starts, so two redemptions queue instead of deadlocking.
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            config.setConnectionInitSql("PRAGMA busy_timeout = " + busy);
        } else if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("options", "-c statement_timeout=" + limits.statementTimeoutMillis());
            config.addDataSourceProperty("socketTimeout", String.valueOf(limits.socketTimeoutSeconds()));
            config.addDataSourceProperty("connectTimeout", String.valueOf(limits.connectTimeoutSeconds()));
            config.addDataSourceProperty("loginTimeout", String.valueOf(limits.connectTimeoutSeconds()));
            config.addDataSourceProperty("tcpKeepAlive", "true");
        }
        return config;
    }

    /**
     * Migrations may rewrite large tables, which the serving pool's statement timeout would cut short: they
     * run on a connection of their own without it (the pool's are opened with it and keep it).
     */
    private static void migrateWithoutStatementTimeout(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("portcullis-migration");
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(10_000);
        try (HikariDataSource migration = new HikariDataSource(config)) {
            flyway(migration).migrate();
        }
    }

    /**
     * Opens a database that must already exist at the current schema, changing nothing: no file
     * created, no migration run. For commands that promise not to write (a dry run, an export).
     */
    public static Database openExisting(String jdbcUrl, int poolSize) {
        boolean sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
        if (sqlite) {
            String name = jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", "");
            if (!name.isEmpty() && !name.contains(":memory:") && !name.startsWith("file:") && Files.notExists(Path.of(name))) {
                throw new IllegalArgumentException("there is no database at " + name + " (this command does not create one)");
            }
        }
        HikariConfig config = poolConfig(jdbcUrl, poolSize, DatabaseLimits.DEFAULT);
        Database database = new Database(new HikariDataSource(config), sqlite, DatabaseLimits.DEFAULT, false);
        int pending = database.pendingMigrations();
        if (pending > 0) {
            database.close();
            throw new IllegalArgumentException("the database is not at this version's schema (" + pending + " migration(s) pending); "
                    + "this command writes nothing, so run `portcullis serve` or `portcullis apply` once first");
        }
        return database;
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
    }

    /**
     * Creates a new SQLite file empty with mode 0600 (and its directory with 0700) before SQLite
     * opens it: SQLite would create it under the umask, usually world-readable, and gives its
     * -wal, -shm and -journal files the main file's mode.
     */
    private static void createPrivateFile(String jdbcUrl) {
        String name = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = name.indexOf('?');
        if (query >= 0) {
            name = name.substring(0, query);
        }
        if (name.isEmpty() || name.contains(":memory:") || name.startsWith("file:")) {
            return;
        }
        Path file = Path.of(name).toAbsolutePath();
        try {
            if (file.getParent() != null) {
                PrivateFiles.createDirectories(file.getParent());
            }
            if (Files.notExists(file)) {
                try {
                    PrivateFiles.createFile(file);
                } catch (FileAlreadyExistsException raced) {
                    // another process (a CLI command beside the server) created it first; it is SQLite's now
                }
            } else {
                PrivateFiles.sharedMode(file).ifPresent(mode -> LOG.warn(
                        "The database {} is readable or writable by other users (mode {}); restrict it with: chmod 600 {}", file, mode, file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database file " + file, e);
        }
    }

    /** Migrations on the classpath not yet applied to this database: zero once {@link #open} has run. */
    public int pendingMigrations() {
        // a readiness probe asks this every few seconds: Flyway only when the quick check finds a difference
        return SchemaCheck.isCurrent(dataSource) ? 0 : flyway(dataSource).info().pending().length;
    }

    /**
     * Whether {@link #open} ran Flyway: false when the database was already at this build's schema, so nothing
     * was migrated or validated beyond the check that found it current.
     */
    public boolean ranMigrations() {
        return migrated;
    }

    /** Connections through the {@link DatabaseGate}: refused at once while the database is unreachable or too many wait. */
    public DataSource dataSource() {
        return gate.asDataSource();
    }

    public Sql sql() {
        return new Sql(gate, !sqlite);
    }

    /** Whether the database answers now (a readiness probe); also closes or opens the gate accordingly. */
    public boolean answers(int timeoutSeconds) {
        return gate.probe(timeoutSeconds);
    }

    /** Whether requests that need the database are let through (it has not just failed to answer). */
    public boolean isAvailable() {
        return gate.isAvailable();
    }

    /** The URL the pool connects with, for the one connection kept outside it (PostgreSQL's LISTEN). */
    String jdbcUrl() {
        return dataSource.getJdbcUrl();
    }

    public boolean isSqlite() {
        return sqlite;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
