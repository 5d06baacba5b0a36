package dev.portcullis.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The connection pool and schema for SQLite (embedded default) or PostgreSQL (production). */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final boolean sqlite;

    private Database(HikariDataSource dataSource, boolean sqlite) {
        this.dataSource = dataSource;
        this.sqlite = sqlite;
    }

    public static Database open(String jdbcUrl, int poolSize) {
        boolean sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("portcullis");
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(5_000);
        if (sqlite) {
            createParentDirectory(jdbcUrl);
            // WAL lets readers run beside the single writer; busy_timeout makes writers queue instead of failing.
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("busy_timeout", "5000");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("synchronous", "NORMAL");
            // Take the write lock when a transaction starts, so two redemptions queue instead of deadlocking.
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            config.setConnectionInitSql("PRAGMA busy_timeout = 5000");
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            flyway(dataSource).migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, sqlite);
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
    }

    /** Migrations on the classpath not yet applied to this database: zero once {@link #open} has run. */
    public int pendingMigrations() {
        return flyway(dataSource).info().pending().length;
    }

    private static void createParentDirectory(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.isEmpty() || file.contains(":memory:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database directory " + parent, e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Sql sql() {
        return new Sql(dataSource);
    }

    public boolean isSqlite() {
        return sqlite;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
