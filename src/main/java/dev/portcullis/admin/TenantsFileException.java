package dev.portcullis.admin;

/**
 * A tenants file (or an admin API request, which the same validator reads) that cannot be applied: the
 * message names the file and line; {@link #detail()} is the refusal alone, for an API's problem details.
 */
public final class TenantsFileException extends RuntimeException {

    private final String detail;

    public TenantsFileException(String message) {
        this(message, message);
    }

    TenantsFileException(String message, String detail) {
        super(message);
        this.detail = detail;
    }

    public String detail() {
        return detail;
    }
}
