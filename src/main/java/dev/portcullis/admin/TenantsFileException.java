package dev.portcullis.admin;

import java.util.Optional;

/**
 * A tenants file (or an admin API request, which the same validator reads) that cannot be applied: the
 * message names the file and line; {@link #detail()} is the refusal alone, for an API's problem details, and
 * {@link #field()} the request member it concerns when it concerns one.
 */
public final class TenantsFileException extends RuntimeException {

    private final String detail;
    private final Optional<String> field;

    public TenantsFileException(String message) {
        this(message, message, Optional.empty());
    }

    TenantsFileException(String message, String detail, Optional<String> field) {
        super(message);
        this.detail = detail;
        this.field = field;
    }

    public String detail() {
        return detail;
    }

    /** The top-level member of an admin API request the refusal is about; empty for files and whole-object refusals. */
    public Optional<String> field() {
        return field;
    }
}
