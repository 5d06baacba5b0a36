package dev.portcullis.protocol;

/** The RFC 6749 section 5.2 error codes (plus the few HTTP-level ones), each with its status. */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    /** RFC 8693 section 2.2.2: an audience or resource the server does not issue tokens for. */
    INVALID_TARGET("invalid_target", 400),
    ACCESS_DENIED("access_denied", 403),
    // RFC 7591 section 3.2.2, for dynamic client registration
    INVALID_REDIRECT_URI("invalid_redirect_uri", 400),
    INVALID_CLIENT_METADATA("invalid_client_metadata", 400),
    // RFC 6750 section 3.1, for resources such as the userinfo endpoint
    INVALID_TOKEN("invalid_token", 401),
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    // RFC 9449 sections 5 and 8: a DPoP proof that fails a check, and the demand for a server-provided nonce
    INVALID_DPOP_PROOF("invalid_dpop_proof", 400),
    USE_DPOP_NONCE("use_dpop_nonce", 400),
    NOT_FOUND("not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    SERVER_ERROR("server_error", 500),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503);

    private final String code;
    private final int status;

    OAuthError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
