package dev.portcullis.client;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.util.Optional;

/** Cached client lookups, misses included; dropped whenever configuration changes. */
public final class ClientDirectory {

    private record Key(String tenantId, String clientId) {
    }

    private final LoadingCache<Key, Optional<ClientApplication>> clients;

    public ClientDirectory(ClientRepository repository) {
        this.clients = Caffeine.newBuilder().maximumSize(200_000)
                .build(key -> repository.find(key.tenantId(), key.clientId()));
    }

    public Optional<ClientApplication> find(String tenantId, String clientId) {
        return clients.get(new Key(tenantId, clientId));
    }

    public void invalidateAll() {
        clients.invalidateAll();
    }
}
