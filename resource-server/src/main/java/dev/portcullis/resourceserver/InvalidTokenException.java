package dev.portcullis.resourceserver;

/** The token is not one this API accepts (RFC 6750 {@code invalid_token}); the message says why, for the caller. */
public final class InvalidTokenException extends Exception {

    public InvalidTokenException(String description) {
        super(description);
    }
}
