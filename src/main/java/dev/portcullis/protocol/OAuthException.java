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

    /**
     * invalid_client. When the client tried HTTP Basic the answer is 401 with a Basic challenge; when it
     * authenticated in the body or not at all it is 400, since RFC 9110 section 15.5.2 requires a
     * challenge on every 401 and RFC 6749 section 5.2 allows 400 here (clients such as Spring Security
     * parse the error JSON only from a 400 or a proper 401).
     */
    public static OAuthException invalidClient(String description, boolean usedBasic, String realmName) {
        return new OAuthException(OAuthError.INVALID_CLIENT, description,
                usedBasic ? Optional.of("Basic realm=\"" + realmName + "\", charset=\"UTF-8\"") : Optional.empty());
    }

    /**
     * A refusal of a Bearer-protected resource (RFC 6750 section 3): the challenge names the realm and,
     * unless no token was sent at all, the error; {@code scope} is the scope the resource needs.
     */
    public static OAuthException bearer(OAuthError error, String description, String realmName, boolean tokenSent,
                                        Optional<String> scope) {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(realmName).append('"');
        if (tokenSent) {
            // the description is ours and never holds a quote or backslash, so it is a valid quoted-string
            challenge.append(", error=\"").append(error.code()).append("\", error_description=\"").append(description).append('"');
        }
        scope.ifPresent(s -> challenge.append(", scope=\"").append(s).append('"'));
        return new OAuthException(error, description, Optional.of(challenge.toString()));
    }

    /** The HTTP status: the error's own, except invalid_client without a challenge, which is 400. */
    public int status() {
        if (error == OAuthError.INVALID_CLIENT && wwwAuthenticate.isEmpty()) {
            return 400;
        }
        return error.status();
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
