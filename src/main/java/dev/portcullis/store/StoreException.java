package dev.portcullis.store;

/** The database could not do what was asked; the cause is logged, never shown to a client. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the database refused a write for a constraint (SQL state class 23, SQLite's SQLITE_CONSTRAINT):
     * two requests creating the same thing at once, which the caller can answer as a conflict.
     */
    public boolean isConstraintViolation() {
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql
                    && ((sql.getSQLState() != null && sql.getSQLState().startsWith("23")) || (sql.getErrorCode() & 0xff) == 19)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the gate refused the request without trying (the database is unreachable, or too many wait for it). */
    public boolean refusedAtGate() {
        return getCause() instanceof DatabaseGate.Refused;
    }
}
