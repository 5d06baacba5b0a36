package dev.portcullis.token;

/** A signed access token and the facts the response and audit line need. */
public record IssuedToken(String accessToken, String jti, long expiresIn, String scope, java.util.Optional<String> refreshToken) {
}
