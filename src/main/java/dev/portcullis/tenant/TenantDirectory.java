package dev.portcullis.tenant;

import dev.portcullis.store.LookupCache;

import java.util.Optional;

/** Cached tenant lookups; misses are cached too, so unknown tenants cannot hammer the database. */
public final class TenantDirectory {

    private record TenantKey(String tenantId) implements LookupCache.Key {
        @Override
        public long estimatedBytes() {
            return LookupCache.bytes(tenantId);
        }
    }

    private final TenantRepository repository;
    private final LookupCache cache;

    public TenantDirectory(TenantRepository repository, LookupCache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    public Optional<Tenant> find(String tenantId) {
        return cache.get(new TenantKey(tenantId), key -> repository.find(key.tenantId()), TenantDirectory::estimatedBytes);
    }

    /** The enabled realm a path segment such as {@code TMPRODB88619984-U} names, if any. */
    public Optional<Realm> realm(String realmId) {
        return Realm.parse(realmId)
                .flatMap(ref -> find(ref.tenantId()).filter(Tenant::enabled).map(tenant -> new Realm(tenant, ref.type())));
    }

    private static long estimatedBytes(Optional<Tenant> tenant) {
        return tenant.map(t -> {
            long bytes = 128 + LookupCache.bytes(t.id()) + LookupCache.bytes(t.name());
            for (ScopeDefinition scope : t.scopes().values()) {
                bytes += 96 + 2 * LookupCache.bytes(scope.name()) + LookupCache.bytes(scope.description());
            }
            return bytes;
        }).orElse(16L);
    }
}
