package dev.portcullis.client;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/** A registered client application of one tenant, as cached for the token hot path. */
public record ClientApplication(
        String tenantId,
        String clientId,
        String name,
        Platform platform,
        Set<String> scopes,
        List<String> redirectUris,
        List<StoredSecret> secrets,
        OptionalInt accessTokenTtl,
        boolean requirePkce,
        ConsentMode consent,
        boolean enabled,
        boolean tokenExchange) {

    /** PKCE is required of every public client, and of web clients registered with require_pkce. */
    public boolean mustUsePkce() {
        return !platform.isConfidential() || requirePkce;
    }
}
