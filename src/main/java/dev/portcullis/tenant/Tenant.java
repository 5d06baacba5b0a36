package dev.portcullis.tenant;

import java.util.Map;
import java.util.Optional;

/**
 * A partition with its scope catalogue; loaded whole and cached, since it is read on every request.
 * {@code accessTokenTyp} is the JWT {@code typ} of its access tokens: {@code at+jwt} (RFC 9068) or {@code JWT}.
 */
public record Tenant(String id, String name, int accessTokenTtl, boolean enabled, Map<String, ScopeDefinition> scopes,
                     RefreshPolicy refreshPolicy, LoginThrottlePolicy loginThrottle, String accessTokenTyp,
                     AuthorizationSettings authorization, RateLimitPolicy rateLimits) {

    public static final String AT_JWT = "at+jwt";
    /** For resource servers that accept only {@code typ: JWT} (or none) and cannot be changed. */
    public static final String JWT = "JWT";

    public Tenant(String id, String name, int accessTokenTtl, boolean enabled, Map<String, ScopeDefinition> scopes,
                  RefreshPolicy refreshPolicy, LoginThrottlePolicy loginThrottle) {
        this(id, name, accessTokenTtl, enabled, scopes, refreshPolicy, loginThrottle, AT_JWT, AuthorizationSettings.DEFAULT,
                RateLimitPolicy.NONE);
    }

    /** A tenant with the default sign-in throttling. */
    public Tenant(String id, String name, int accessTokenTtl, boolean enabled, Map<String, ScopeDefinition> scopes,
                  RefreshPolicy refreshPolicy) {
        this(id, name, accessTokenTtl, enabled, scopes, refreshPolicy, LoginThrottlePolicy.DEFAULT);
    }

    /** How long a sign-in's refresh tokens live: unused ({@code idleTtl}) and in all ({@code absoluteTtl}), in seconds. */
    public record RefreshPolicy(int idleTtl, int absoluteTtl) {
        public static final RefreshPolicy DEFAULT = new RefreshPolicy(604_800, 2_592_000);
    }

    public Optional<ScopeDefinition> scope(String name) {
        return Optional.ofNullable(scopes.get(name));
    }
}
