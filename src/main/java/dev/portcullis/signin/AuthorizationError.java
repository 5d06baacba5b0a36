package dev.portcullis.signin;

import java.util.Optional;

/**
 * A refused authorization request. Until the client and redirect_uri are known to be valid the
 * refusal is shown on a page and never redirected (no open redirect); after that it goes back to
 * the client as {@code error}, {@code error_description}, {@code state} and {@code iss}.
 */
public final class AuthorizationError extends RuntimeException {

    private final String code;
    private final String description;
    private final Optional<String> redirectUri;
    private final Optional<String> state;

    private AuthorizationError(String code, String description, Optional<String> redirectUri, Optional<String> state) {
        super(code + ": " + description, null, false, false);
        this.code = code;
        this.description = description;
        this.redirectUri = redirectUri;
        this.state = state;
    }

    public static AuthorizationError page(String description) {
        return new AuthorizationError("invalid_request", description, Optional.empty(), Optional.empty());
    }

    public static AuthorizationError redirect(String redirectUri, Optional<String> state, String code, String description) {
        return new AuthorizationError(code, description, Optional.of(redirectUri), state);
    }

    public String code() {
        return code;
    }

    public String description() {
        return description;
    }

    public Optional<String> redirectUri() {
        return redirectUri;
    }

    public Optional<String> state() {
        return state;
    }
}
