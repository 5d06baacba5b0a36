package dev.portcullis.client;

import dev.portcullis.store.LookupCache;

import java.util.Optional;

/**
 * Client lookups: the built-in clients first, then those resolved from their id (a client_id that is the URL of a
 * metadata document), then the stored ones, cached with misses and dropped whenever configuration changes. Every
 * caller (authorize, token, revocation, logout, the admin API's token check) gets a client through here, so a
 * resolved client meets exactly the checks a stored one does.
 */
public final class ClientDirectory {

    private record ClientKey(String tenantId, String clientId) implements LookupCache.Key {
        @Override
        public long estimatedBytes() {
            return LookupCache.bytes(tenantId) + LookupCache.bytes(clientId);
        }
    }

    private final ClientRepository repository;
    private final LookupCache cache;
    private final BuiltInClients builtIn;
    private final ResolvedClients resolved;

    public ClientDirectory(ClientRepository repository, LookupCache cache, BuiltInClients builtIn) {
        this(repository, cache, builtIn, ResolvedClients.NONE);
    }

    public ClientDirectory(ClientRepository repository, LookupCache cache, BuiltInClients builtIn, ResolvedClients resolved) {
        this.repository = repository;
        this.cache = cache;
        this.builtIn = builtIn;
        this.resolved = resolved;
    }

    public Optional<ClientApplication> find(String tenantId, String clientId) {
        return lookup(tenantId, clientId).client();
    }

    /** {@link #find}, with the reason a client id that names a metadata document could not be used. */
    public ClientLookup lookup(String tenantId, String clientId) {
        Optional<ClientApplication> builtInClient = builtIn.find(tenantId, clientId);
        if (builtInClient.isPresent()) {
            return ClientLookup.found(builtInClient.get());
        }
        if (resolved.claims(clientId)) {
            return resolved.resolve(tenantId, clientId);
        }
        return ClientLookup.of(cache.get(new ClientKey(tenantId, clientId), key -> repository.find(key.tenantId(), key.clientId()),
                ClientDirectory::estimatedBytes));
    }

    private static long estimatedBytes(Optional<ClientApplication> client) {
        return client.map(c -> 192 + LookupCache.bytes(c.tenantId()) + LookupCache.bytes(c.clientId())
                + LookupCache.bytes(c.name()) + LookupCache.bytes(c.description().orElse(""))
                + LookupCache.bytes(c.scopes()) + LookupCache.bytes(c.redirectUris())
                + LookupCache.bytes(c.postLogoutRedirectUris())
                + 128L * c.secrets().size()).orElse(16L);
    }
}
