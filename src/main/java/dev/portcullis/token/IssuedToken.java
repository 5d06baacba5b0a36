package dev.portcullis.token;

import java.util.Optional;

/**
 * A signed access token and the facts the response and audit line need; {@code issuedTokenType} is
 * set for a token exchange, whose response must name it (RFC 8693 section 2.2.1), and {@code proofKey}
 * for a token bound to a DPoP key, whose {@code token_type} is then {@code DPoP} (RFC 9449 section 5).
 * Parameters other capabilities add to the response (an OpenID sign-in's {@code id_token}) are not part
 * of it: see {@link TokenResponseExtension}.
 */
public record IssuedToken(String accessToken, String jti, long expiresIn, String scope, Optional<String> refreshToken,
                          Optional<String> issuedTokenType, Optional<ProofKey> proofKey) {

    public static final String BEARER = "Bearer";
    public static final String DPOP = "DPoP";

    public IssuedToken(String accessToken, String jti, long expiresIn, String scope, Optional<String> refreshToken) {
        this(accessToken, jti, expiresIn, scope, refreshToken, Optional.empty(), Optional.empty());
    }

    /** The response's {@code token_type}: how the client must present the token. */
    public String tokenType() {
        return proofKey.isPresent() ? DPOP : BEARER;
    }
}
