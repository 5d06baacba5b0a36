package dev.portcullis.grant;

import dev.portcullis.Core;
import dev.portcullis.Feature;

import java.util.List;

/** The grants every tenant has: On-Behalf-Of, Client Credentials, Authorization Code and Refresh. */
public final class CoreGrants implements Feature {

    private final List<GrantHandler<?>> handlers;

    public CoreGrants(Core core) {
        ResourceIndicators resources = new ResourceIndicators(core.config().apiUrl());
        this.handlers = List.of(
                new OnBehalfOfGrantHandler(core.subjects(), resources),
                new ClientCredentialsGrantHandler(resources),
                new AuthorizationCodeGrantHandler(core.codes(), core.refreshTokens(), core.subjects(), core.accessTokens(),
                        resources, core.sql(), core.clock()),
                new RefreshTokenGrantHandler(core.refreshTokens(), core.subjects(), resources, core.sql(), core.clock()));
    }

    @Override
    public List<GrantHandler<?>> grants() {
        return handlers;
    }
}
