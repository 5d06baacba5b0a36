package dev.portcullis.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A public key the client proved it holds with a DPoP proof (RFC 9449), by its RFC 7638 SHA-256 thumbprint:
 * the {@code jkt} that a DPoP-bound access token's {@code cnf} claim, a bound refresh token family and a code
 * requested with {@code dpop_jkt} name.
 */
public record ProofKey(String jkt) {

    /** BASE64URL(SHA-256) without padding is always 43 characters. */
    private static final Pattern THUMBPRINT = Pattern.compile("[A-Za-z0-9_-]{43}");

    public ProofKey {
        Objects.requireNonNull(jkt, "jkt");
        if (!isThumbprint(jkt)) {
            throw new IllegalArgumentException("a JWK SHA-256 thumbprint is 43 base64url characters");
        }
    }

    public static boolean isThumbprint(String value) {
        return value != null && THUMBPRINT.matcher(value).matches();
    }

    /** Whether {@code thumbprint} names this key, compared in constant time. */
    public boolean matches(String thumbprint) {
        return thumbprint != null && MessageDigest.isEqual(jkt.getBytes(StandardCharsets.US_ASCII),
                thumbprint.getBytes(StandardCharsets.US_ASCII));
    }
}
