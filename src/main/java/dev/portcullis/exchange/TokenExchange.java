package dev.portcullis.exchange;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import dev.portcullis.grant.ResourceIndicators;
import dev.portcullis.grant.GrantHandler;

import java.util.List;

/**
 * Token Exchange: identity-provider registrations, their key sets, and the grant. The registrations
 * live in the shared lookup cache; the key sets are this feature's own cache, dropped with the others
 * when the configuration changes.
 */
public final class TokenExchange implements Feature {

    private final ProviderKeys keys = new ProviderKeys();
    private final TokenExchangeGrantHandler handler;

    public TokenExchange(Core core) {
        IdentityProviderDirectory providers = new IdentityProviderDirectory(new IdentityProviderRepository(core.sql()), core.lookups());
        this.handler = new TokenExchangeGrantHandler(providers, new ExternalTokens(keys, core.clock()),
                new RealmTokens(core.accessTokens(), core.subjects()), core.subjects(), new ResourceIndicators(core.config().apiUrl()));
    }

    @Override
    public List<GrantHandler<?>> grants() {
        return List.of(handler);
    }

    @Override
    public List<Runnable> cacheInvalidators() {
        return List.of(keys::invalidateAll);
    }
}
