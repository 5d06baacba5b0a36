package dev.portcullis.client;

import dev.portcullis.store.LookupCache;

import java.util.Optional;

/** Client lookups: the built-in clients first, then the stored ones, cached with misses; dropped whenever configuration changes. */
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

    public ClientDirectory(ClientRepository repository, LookupCache cache, BuiltInClients builtIn) {
        this.repository = repository;
        this.cache = cache;
        this.builtIn = builtIn;
    }

    public Optional<ClientApplication> find(String tenantId, String clientId) {
        Optional<ClientApplication> builtInClient = builtIn.find(tenantId, clientId);
        if (builtInClient.isPresent()) {
            return builtInClient;
        }
        return cache.get(new ClientKey(tenantId, clientId), key -> repository.find(key.tenantId(), key.clientId()),
                ClientDirectory::estimatedBytes);
    }

    private static long estimatedBytes(Optional<ClientApplication> client) {
        return client.map(c -> 192 + LookupCache.bytes(c.tenantId()) + LookupCache.bytes(c.clientId())
                + LookupCache.bytes(c.name()) + LookupCache.bytes(c.description().orElse(""))
                + LookupCache.bytes(c.scopes()) + LookupCache.bytes(c.redirectUris())
                + LookupCache.bytes(c.postLogoutRedirectUris())
                + 128L * c.secrets().size()).orElse(16L);
    }
}
