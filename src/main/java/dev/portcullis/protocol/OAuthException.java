package dev.portcullis.protocol;

import java.util.Optional;

/**
 * A refusal to be answered with the RFC 6749 error JSON. The description tells the caller what
 * to fix and never carries a secret or a token.
 */
public final class OAuthException extends RuntimeException {

    private final OAuthError error;
    private final String description;
    private final Optional<String> wwwAuthenticate;

    public OAuthException(OAuthError error, String description) {
        this(error, description, Optional.empty());
    }

    private OAuthException(OAuthError error, String description, Optional<String> wwwAuthenticate) {
        super(error.code() + ": " + description, null, false, false);
        this.error = error;
        this.description = description;
        this.wwwAuthenticate = wwwAuthenticate;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException(OAuthError.INVALID_SCOPE, description);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuthError.INVALID_GRANT, description);
    }

    public static OAuthException unauthorizedClient(String description) {
        return new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, description);
    }

    /** invalid_client; when the client tried HTTP Basic, the 401 carries a Basic challenge (RFC 6749 5.2). */
    public static OAuthException invalidClient(String description, boolean usedBasic, String realmName) {
        return new OAuthException(OAuthError.INVALID_CLIENT, description,
                usedBasic ? Optional.of("Basic realm=\"" + realmName + "\", charset=\"UTF-8\"") : Optional.empty());
    }

    public OAuthError error() {
        return error;
    }

    public String description() {
        return description;
    }

    public Optional<String> wwwAuthenticate() {
        return wwwAuthenticate;
    }
}
