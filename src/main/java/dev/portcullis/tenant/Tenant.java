package dev.portcullis.tenant;

import java.util.Map;
import java.util.Optional;

/** A partition with its scope catalogue; loaded whole and cached, since it is read on every request. */
public record Tenant(String id, String name, int accessTokenTtl, boolean enabled, Map<String, ScopeDefinition> scopes) {

    public static final int DEFAULT_ACCESS_TOKEN_TTL = 3600;

    public Optional<ScopeDefinition> scope(String name) {
        return Optional.ofNullable(scopes.get(name));
    }
}
