package dev.portcullis.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A refusal to be answered with the RFC 6749 error JSON. The description tells the caller what
 * to fix and never carries a secret or a token.
 */
public final class OAuthException extends RuntimeException {

    private final OAuthError error;
    private final String description;
    private final Optional<String> wwwAuthenticate;
    private final Map<String, String> headers;

    public OAuthException(OAuthError error, String description) {
        this(error, description, Optional.empty());
    }

    private OAuthException(OAuthError error, String description, Optional<String> wwwAuthenticate) {
        this(error, description, wwwAuthenticate, Map.of());
    }

    private OAuthException(OAuthError error, String description, Optional<String> wwwAuthenticate, Map<String, String> headers) {
        super(error.code() + ": " + description, null, false, false);
        this.error = error;
        this.description = description;
        this.wwwAuthenticate = wwwAuthenticate;
        this.headers = Map.copyOf(headers);
    }

    /** invalid_dpop_proof at the token endpoint (RFC 9449 section 5): the DPoP header is missing, repeated or fails a check. */
    public static OAuthException invalidDpopProof(String description) {
        return new OAuthException(OAuthError.INVALID_DPOP_PROOF, description);
    }

    /** use_dpop_nonce at the token endpoint (RFC 9449 section 8): retry with a proof that carries {@code nonce}. */
    public static OAuthException useDpopNonce(String description, String nonce) {
        return new OAuthException(OAuthError.USE_DPOP_NONCE, description, Optional.empty(), Map.of("DPoP-Nonce", nonce));
    }

    /**
     * A refusal of a DPoP-protected resource (RFC 9449 section 7.1): 401 with a {@code DPoP} challenge naming the
     * realm, the error and the proof algorithms the resource accepts.
     */
    public static OAuthException dpop(OAuthError error, String description, String realmName, String algorithms) {
        String challenge = "DPoP realm=\"" + realmName + "\", error=\"" + error.code() + "\", error_description=\""
                + quotable(description) + "\", algs=\"" + algorithms + "\"";
        return new OAuthException(error, description, Optional.of(challenge));
    }

    /**
     * A description made safe for a challenge's quoted-string (RFC 6750 section 3 allows %x20-21 / %x23-5B / %x5D-7E):
     * a proof's failure may quote the proof's own claims, which the caller chose.
     */
    private static String quotable(String text) {
        String shortened = text.length() <= 300 ? text : text.substring(0, 297) + "...";
        StringBuilder safe = new StringBuilder(shortened.length());
        for (char c : shortened.toCharArray()) {
            safe.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : '\'');
        }
        return safe.toString();
    }

    /** The same refusal with one more response header (a fresh {@code DPoP-Nonce}, say). */
    public OAuthException withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new OAuthException(error, description, wwwAuthenticate, more);
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
        if (error == OAuthError.INVALID_DPOP_PROOF && wwwAuthenticate.isPresent()) {
            // a resource refuses a proof with 401 and a challenge, the token endpoint with 400 (RFC 9449 sections 5 and 7.1)
            return 401;
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

    /** Response headers besides {@code WWW-Authenticate}, e.g. {@code DPoP-Nonce}. */
    public Map<String, String> headers() {
        return headers;
    }
}
