package dev.portcullis.protocol;

import java.util.Map;

/**
 * The longest value each request parameter may have, checked while a form or query string is
 * decoded and so before any lookup: an over-long identifier is refused with {@code invalid_request}
 * instead of travelling into caches, the database or a log line. The README lists these limits.
 */
public final class ParameterLimits {

    /** Client ids, tenant ids, user ids, usernames and emails (RFC 5321 caps a mailbox at 254). */
    public static final int IDENTIFIER = 255;
    /** Human passwords: room for any passphrase, while each sign-in's Argon2 input stays bounded. */
    public static final int PASSWORD = 1024;
    /** redirect_uri and other URIs: the practical limit browsers and proxies agree on. */
    public static final int URI = 2048;
    /** Anything not named below, including parameters we ignore. */
    static final int OTHER = 4096;
    /** Parameter names are short words; a long one is an attack or a mistake. */
    static final int NAME = 64;
    /** No OAuth request has anywhere near this many parameters. */
    static final int COUNT = 64;

    private static final Map<String, Integer> LIMITS = Map.ofEntries(
            Map.entry("client_id", IDENTIFIER),
            Map.entry("subject_username", IDENTIFIER),
            Map.entry("subject_userid", IDENTIFIER),
            Map.entry("subject_email", IDENTIFIER),
            Map.entry("username", IDENTIFIER),
            Map.entry("email", IDENTIFIER),
            Map.entry("login_hint", IDENTIFIER),
            Map.entry("registration_id", IDENTIFIER),
            // the anonymous customer endpoint's query: a tenant id, and eGain's user type (customer)
            Map.entry("domain_hint", IDENTIFIER),
            Map.entry("user_type", 64),
            Map.entry("grant_type", 128),
            Map.entry("response_type", 64),
            Map.entry("code_challenge_method", 16),
            Map.entry("token_type_hint", 64),
            Map.entry("prompt", 64),
            Map.entry("max_age", 16),
            // Generated secrets are 43 characters; human-chosen ones need room, not 60 KB.
            Map.entry("client_secret", 512),
            Map.entry("password", PASSWORD),
            Map.entry("scope", 2048),
            Map.entry("redirect_uri", URI),
            Map.entry("post_logout_redirect_uri", URI),
            Map.entry("state", 2048),
            Map.entry("nonce", 512),
            // an ID token of this server, with every claim it releases, fits several times over
            Map.entry("id_token_hint", 8192),
            // Codes and refresh tokens are 43 characters; PKCE values at most 128 (RFC 7636 4.1).
            Map.entry("code", 256),
            Map.entry("refresh_token", 256),
            Map.entry("code_verifier", 256),
            Map.entry("code_challenge", 256),
            // a pushed authorization request's handle (RFC 9126): a URN with 43 random characters
            Map.entry("request_uri", 256),
            // a SHA-256 JWK thumbprint is 43 characters (RFC 9449 section 10)
            Map.entry("dpop_jkt", 64),
            Map.entry("csrf", 256),
            // introspection and revocation take JWT access tokens, which grow with their claims.
            Map.entry("token", 16_384),
            // the userinfo endpoint takes an access token in a POST form too (RFC 6750 section 2.2)
            Map.entry("access_token", 16_384),
            // token exchange takes JWTs from other issuers, which can be larger than ours
            Map.entry("subject_token", 16_384),
            Map.entry("actor_token", 16_384),
            Map.entry("subject_token_type", 128),
            Map.entry("actor_token_type", 128),
            Map.entry("requested_token_type", 128),
            Map.entry("audience", URI),
            Map.entry("resource", URI),
            // the login and consent forms carry the whole authorize query string back.
            Map.entry("return_to", 16_384));

    private ParameterLimits() {
    }

    public static int limitOf(String name) {
        return LIMITS.getOrDefault(name, OTHER);
    }

    /** Refuses a value longer than its parameter's limit, naming the parameter and the limit. */
    public static void check(String name, String value) {
        int limit = limitOf(name);
        if (value.length() > limit) {
            throw OAuthException.invalidRequest("parameter '" + name + "' is longer than " + limit + " characters");
        }
    }
}
