package dev.portcullis.testing;

import dev.portcullis.store.Database;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Empty databases for tests that work on storage without a server: a SQLite file in the test's
 * temporary directory or a fresh PostgreSQL database, closed and dropped by {@link #close()}.
 */
public final class ScratchDatabases implements AutoCloseable {

    private final Path directory;
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private int files;

    public ScratchDatabases(Path directory) {
        this.directory = directory;
    }

    /** The JDBC URL of a new, empty database (dropped on close). */
    public String jdbcUrl(StoreKind store) {
        if (store == StoreKind.POSTGRES) {
            String url = PostgresDatabases.create();
            cleanup.add(() -> PostgresDatabases.drop(url));
            return url;
        }
        return "jdbc:sqlite:" + directory.resolve("scratch-" + files++ + ".db");
    }

    /** A new, migrated database, closed before it is dropped. */
    public Database open(StoreKind store) {
        Database database = Database.open(jdbcUrl(store), 2);
        cleanup.add(0, database);
        return database;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
        cleanup.clear();
    }
}
