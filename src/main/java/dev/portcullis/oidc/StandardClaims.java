package dev.portcullis.oidc;

import dev.portcullis.identity.Subject;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenID Connect standard claims a sign-in's scopes release about its subject, the same in the
 * ID token and from the userinfo endpoint. The data model has no display name, so {@code name} is
 * never invented from the username; and no address is verified by Portcullis (the tenants file or
 * the CLI sets it), so {@code email_verified} is false.
 */
public final class StandardClaims {

    public static final String OPENID = "openid";
    public static final String PROFILE = "profile";
    public static final String EMAIL = "email";

    /** What an ID token says besides the standard claims; listed in the discovery document. */
    static final List<String> PROTOCOL_CLAIMS = List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid",
            "amr");
    /** Every standard claim a scope may release. */
    static final List<String> SUBJECT_CLAIMS = List.of("preferred_username", "email", "email_verified");

    private StandardClaims() {
    }

    /** The claims {@code scopes} release about {@code subject}: profile gives preferred_username, email gives email. */
    public static Map<String, Object> of(Subject subject, Collection<String> scopes) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (scopes.contains(PROFILE)) {
            subject.username().ifPresent(username -> claims.put("preferred_username", username));
        }
        if (scopes.contains(EMAIL)) {
            subject.email().ifPresent(email -> {
                claims.put("email", email);
                claims.put("email_verified", false);
            });
        }
        return claims;
    }
}
