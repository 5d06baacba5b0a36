package dev.portcullis.admin;

/** A tenants file that cannot be applied; the message names the file and line. */
public final class TenantsFileException extends RuntimeException {
    public TenantsFileException(String message) {
        super(message);
    }
}
