package dev.portcullis.resourceserver;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The answer to one request: either the caller's token, or the RFC 6750 response to send instead
 * (status, {@code WWW-Authenticate}, and a small JSON body with the same error for clients that read bodies).
 */
public sealed interface Decision {

    static Allowed allowed(AccessToken token) {
        return new Allowed(token);
    }

    /** 401 with only the realm: the request carried no bearer token (RFC 6750 section 3.1, no error code). */
    static Refused noToken(String realm) {
        return new Refused(401, challenge(realm, null, null, Set.of()), body(null, "this API needs a bearer access token"));
    }

    /** 400 {@code invalid_request}: an Authorization header with the Bearer scheme but no well-formed token. */
    static Refused invalidRequest(String realm, String description) {
        return new Refused(400, challenge(realm, "invalid_request", description, Set.of()), body("invalid_request", description));
    }

    static Refused invalidToken(String realm, String description) {
        description = shortened(description);
        return new Refused(401, challenge(realm, "invalid_token", description, Set.of()), body("invalid_token", description));
    }

    /**
     * 401 with a DPoP challenge (RFC 9449 section 7.1): {@code error} is invalid_token for a token that is not good with
     * the DPoP scheme (not bound, or bound to another key), invalid_dpop_proof for a missing or failed proof;
     * {@code algs} names the proof algorithms the API accepts.
     */
    static Refused dpop(String realm, String error, String description, String algs) {
        description = shortened(description);
        String challenge = "DPoP realm=\"" + quotable(realm) + "\", error=\"" + error + "\", error_description=\""
                + quotable(description) + "\", algs=\"" + algs + "\"";
        return new Refused(401, challenge, body(error, description));
    }

    /** 503: a good request the API cannot take now (its DPoP replay cache is full); the client should retry shortly. */
    static Refused unavailable(String description, int retryAfterSeconds) {
        return new Refused(503, null, body("temporarily_unavailable", description)).withRetryAfter(retryAfterSeconds);
    }

    /** 403 {@code insufficient_scope}, naming the scopes the operation needs from this actor type, if any does. */
    static Refused insufficientScope(String realm, String description, Set<String> requiredScopes) {
        return insufficientScope("Bearer", realm, description, requiredScopes);
    }

    /** The same in the scheme the token came with ({@code Bearer} or {@code DPoP}). */
    static Refused insufficientScope(String scheme, String realm, String description, Set<String> requiredScopes) {
        String challenge = challenge(realm, "insufficient_scope", description, requiredScopes);
        return new Refused(403, scheme + challenge.substring("Bearer".length()), body("insufficient_scope", description));
    }

    /** 503: the issuer's keys cannot be fetched; the token may be fine, so the client should retry, not sign in again. */
    static Refused issuerUnavailable(int retryAfterSeconds) {
        Refused refused = new Refused(503, null, body("temporarily_unavailable", "the token issuer's keys cannot be fetched now"));
        return refused.withRetryAfter(retryAfterSeconds);
    }

    /** A token that may call the operation. */
    record Allowed(AccessToken token) implements Decision {
    }

    /**
     * A refusal to send as is. {@code wwwAuthenticate} is empty only for 503; {@code jsonBody} is
     * {@code application/json}, and the response must not be cached.
     */
    record Refused(int status, String wwwAuthenticate, String jsonBody, Optional<Integer> retryAfterSeconds) implements Decision {

        Refused(int status, String wwwAuthenticate, String jsonBody) {
            this(status, wwwAuthenticate, jsonBody, Optional.empty());
        }

        Refused withRetryAfter(int seconds) {
            return new Refused(status, wwwAuthenticate, jsonBody, Optional.of(seconds));
        }

        public Optional<String> challenge() {
            return Optional.ofNullable(wwwAuthenticate);
        }

        /** Every header to set, in order: {@code WWW-Authenticate}, {@code Retry-After}, {@code Cache-Control}. */
        public Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            challenge().ifPresent(value -> headers.put("WWW-Authenticate", value));
            retryAfterSeconds.ifPresent(seconds -> headers.put("Retry-After", String.valueOf(seconds)));
            headers.put("Cache-Control", "no-store");
            return headers;
        }
    }

    /** The header value of RFC 6750 section 3, with descriptions made safe for its quoted strings. */
    private static String challenge(String realm, String error, String description, Set<String> scopes) {
        StringBuilder value = new StringBuilder("Bearer realm=\"").append(quotable(realm)).append('"');
        if (error != null) {
            value.append(", error=\"").append(error).append('"');
            value.append(", error_description=\"").append(quotable(description)).append('"');
        }
        if (!scopes.isEmpty()) {
            value.append(", scope=\"").append(quotable(String.join(" ", scopes))).append('"');
        }
        return value.toString();
    }

    /** Descriptions quote the token's own claims (an unknown issuer, say), which a caller could make long. */
    private static String shortened(String description) {
        return description.length() <= 300 ? description : description.substring(0, 297) + "...";
    }

    /** RFC 6750 section 3 allows only %x20-21 / %x23-5B / %x5D-7E inside these strings: no quote, backslash or non-ASCII. */
    static String quotable(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            safe.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : '\'');
        }
        return safe.toString();
    }

    private static String body(String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (error != null) {
            body.put("error", error);
        }
        body.put("error_description", description);
        return JSONObjectUtils.toJSONString(body);
    }
}
