package dev.portcullis.testing;


import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh PostgreSQL databases for tests, on the development/CI server at 127.0.0.1:5432
 * (user postgres, trust auth). When it is unreachable the test is skipped with the reason.
 */
public final class PostgresDatabases {

    public static final String ADMIN_URL = System.getProperty("portcullis.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

    private PostgresDatabases() {
    }

    public static boolean reachable() {
        try (Connection ignored = DriverManager.getConnection(ADMIN_URL)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Creates an empty database and returns its JDBC URL; skips the test if PostgreSQL is down. */
    public static String create() {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL); Statement statement = connection.createStatement()) {
            String name = "portcullis_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            statement.execute("CREATE DATABASE " + name);
            return ADMIN_URL.replace("/postgres?", "/" + name + "?");
        } catch (SQLException e) {
            String reason = "PostgreSQL at " + ADMIN_URL + " is unreachable (" + e.getMessage() + "); skipping. "
                    + "Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";
            System.err.println("SKIPPED: " + reason);
            TestDependencies.missing(reason);
            throw new IllegalStateException(reason);
        }
    }

    public static void drop(String jdbcUrl) {
        String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1, jdbcUrl.indexOf('?'));
        try (Connection connection = DriverManager.getConnection(ADMIN_URL); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }
}
