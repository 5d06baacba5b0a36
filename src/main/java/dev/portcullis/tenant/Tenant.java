package dev.portcullis.tenant;

import java.util.Map;
import java.util.Optional;

/** A partition with its scope catalogue; loaded whole and cached, since it is read on every request. */
public record Tenant(String id, String name, int accessTokenTtl, boolean enabled, Map<String, ScopeDefinition> scopes,
                     RefreshPolicy refreshPolicy, LoginThrottlePolicy loginThrottle) {

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
