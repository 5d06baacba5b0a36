package dev.portcullis.exchange;

import dev.portcullis.store.LookupCache;

import java.util.Optional;

/** Cached registration lookups, misses included, in the shared lookup cache: dropped whenever configuration changes. */
final class IdentityProviderDirectory {

    private record RegistrationKey(String tenantId, String registrationId) implements LookupCache.Key {
        @Override
        public long estimatedBytes() {
            return LookupCache.bytes(tenantId) + LookupCache.bytes(registrationId);
        }
    }

    private final IdentityProviderRepository repository;
    private final LookupCache cache;

    IdentityProviderDirectory(IdentityProviderRepository repository, LookupCache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    Optional<IdentityProvider> find(String tenantId, String registrationId) {
        return cache.get(new RegistrationKey(tenantId, registrationId), key -> repository.find(key.tenantId(), key.registrationId()),
                IdentityProviderDirectory::estimatedBytes);
    }

    private static long estimatedBytes(Optional<IdentityProvider> provider) {
        return provider.map(p -> 256 + LookupCache.bytes(p.registrationId()) + LookupCache.bytes(p.name())
                + LookupCache.bytes(p.issuer()) + LookupCache.bytes(p.jwksUri()) + LookupCache.bytes(p.audiences())
                + LookupCache.bytes(p.algorithms())).orElse(16L);
    }
}
