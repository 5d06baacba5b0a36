package dev.portcullis.store;

/** The database could not do what was asked; the cause is logged, never shown to a client. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
