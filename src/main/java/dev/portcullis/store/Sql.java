package dev.portcullis.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A thin JDBC helper: parameterised statements only, and transactions that commit all or nothing.
 * Inside {@link #inTransaction} every call runs on the transaction's connection.
 */
public final class Sql {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Sql transaction);
    }

    private final DatabaseGate gate;
    private final boolean postgres;
    private final Connection transaction;

    Sql(DatabaseGate gate, boolean postgres) {
        this(gate, postgres, null);
    }

    private Sql(DatabaseGate gate, boolean postgres, Connection transaction) {
        this.gate = gate;
        this.postgres = postgres;
        this.transaction = transaction;
    }

    /** For the few statements that only one store has (PostgreSQL's notifications); everything else is portable SQL. */
    public boolean isPostgres() {
        return postgres;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(connection -> {
            try (PreparedStatement statement = prepare(connection, sql, params);
                 ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        });
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    public int update(String sql, Object... params) {
        return withConnection(connection -> {
            try (PreparedStatement statement = prepare(connection, sql, params)) {
                return statement.executeUpdate();
            }
        });
    }

    public <T> T inTransaction(Work<T> work) {
        if (transaction != null) {
            return work.run(this);
        }
        try (Connection connection = gate.connection()) {
            begin(connection);
            try {
                T result = work.run(new Sql(gate, postgres, connection));
                connection.commit();
                return result;
            } catch (RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            } finally {
                resetAutoCommit(connection);
            }
        } catch (SQLException e) {
            gate.failed(e);
            throw new StoreException("database transaction failed", e);
        }
    }

    /**
     * SQLite's driver marks the connection as inside a transaction before its BEGIN IMMEDIATE runs, so a BEGIN
     * that fails (the write lock still held past busy_timeout) leaves a connection that believes it is in a
     * transaction it does not have: it goes, rather than back to the pool to fail whoever borrows it next.
     */
    private void begin(Connection connection) throws SQLException {
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            gate.discard(connection);
            throw e;
        }
    }

    /** A broken connection cannot roll back either; the original failure is the one to report. */
    private static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** The pool also resets it; a failure here only means the connection is gone, which the pool notices. */
    private static void resetAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // see above
        }
    }

    @FunctionalInterface
    private interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        try {
            if (transaction != null) {
                return work.run(transaction);
            }
            try (Connection connection = gate.connection()) {
                return work.run(connection);
            }
        } catch (SQLException e) {
            gate.failed(e);
            throw new StoreException("database statement failed", e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object[] params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object param = params[i];
            if (param instanceof Boolean flag) {
                statement.setInt(i + 1, flag ? 1 : 0);
            } else {
                statement.setObject(i + 1, param);
            }
        }
        return statement;
    }
}
