package dev.portcullis.testing;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads every application table whole, to prove what a request or command did or did not write. */
public final class DatabaseSnapshot {

    private DatabaseSnapshot() {
    }

    public static List<String> tables(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = connection.getMetaData().getTables(null, postgres ? "public" : null, "%", new String[] {"TABLE"})) {
                while (rows.next()) {
                    String name = rows.getString("TABLE_NAME");
                    if (!name.startsWith("sqlite_")) {
                        tables.add(name);
                    }
                }
            }
            if (tables.isEmpty()) {
                throw new IllegalStateException("no tables found");
            }
            return tables;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Row count per table. */
    public static Map<String, Long> rowCounts(DataSource dataSource) {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : tables(dataSource)) {
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rows.next();
                    counts.put(table, rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    /** Every row of every table as text, sorted, for whole-database comparisons and searches. */
    public static Map<String, List<String>> contents(DataSource dataSource) {
        Map<String, List<String>> contents = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : tables(dataSource)) {
                // bookkeeping, not configuration: Flyway's history, and which tenants file an apply last read (an
                // apply that changes nothing still records the file it read, so the next start can skip it)
                if (table.equals("flyway_schema_history") || table.equals("tenants_file_state")) {
                    continue;
                }
                List<String> lines = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rows.getMetaData();
                    while (rows.next()) {
                        StringBuilder line = new StringBuilder();
                        for (int column = 1; column <= meta.getColumnCount(); column++) {
                            line.append(meta.getColumnName(column).toLowerCase()).append('=').append(rows.getString(column)).append(' ');
                        }
                        lines.add(line.toString());
                    }
                }
                lines.sort(null);
                contents.put(table, lines);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return contents;
    }
}
