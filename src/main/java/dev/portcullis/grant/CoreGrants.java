package dev.portcullis.grant;

import dev.portcullis.Core;
import dev.portcullis.Feature;

import java.util.List;

/** The grants every tenant has: On-Behalf-Of, Client Credentials, Authorization Code and Refresh. */
public final class CoreGrants implements Feature {

    private final List<GrantHandler<?>> handlers;

    public CoreGrants(Core core) {
        this.handlers = List.of(
                new OnBehalfOfGrantHandler(core.subjects()),
                new ClientCredentialsGrantHandler(),
                new AuthorizationCodeGrantHandler(core.codes(), core.refreshTokens(), core.subjects(), core.accessTokens(),
                        core.sql(), core.clock()),
                new RefreshTokenGrantHandler(core.refreshTokens(), core.subjects(), core.sql(), core.clock()));
    }

    @Override
    public List<GrantHandler<?>> grants() {
        return handlers;
    }
}
