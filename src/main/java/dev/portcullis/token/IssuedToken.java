package dev.portcullis.token;

import java.util.Optional;

/**
 * A signed access token and the facts the response and audit line need; {@code issuedTokenType} is
 * set for a token exchange, whose response must name it (RFC 8693 section 2.2.1).
 */
public record IssuedToken(String accessToken, String jti, long expiresIn, String scope, Optional<String> refreshToken,
                          Optional<String> issuedTokenType) {

    public IssuedToken(String accessToken, String jti, long expiresIn, String scope, Optional<String> refreshToken) {
        this(accessToken, jti, expiresIn, scope, refreshToken, Optional.empty());
    }
}
