package dev.portcullis.tenant;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.util.Optional;

/** Cached tenant lookups; misses are cached too, so unknown tenants cannot hammer the database. */
public final class TenantDirectory {

    private final LoadingCache<String, Optional<Tenant>> tenants;

    public TenantDirectory(TenantRepository repository) {
        this.tenants = Caffeine.newBuilder().maximumSize(100_000).build(repository::find);
    }

    public Optional<Tenant> find(String tenantId) {
        return tenants.get(tenantId);
    }

    /** The enabled realm a path segment such as {@code TMPRODB88619984-U} names, if any. */
    public Optional<Realm> realm(String realmId) {
        return Realm.parse(realmId)
                .flatMap(ref -> find(ref.tenantId()).filter(Tenant::enabled).map(tenant -> new Realm(tenant, ref.type())));
    }

    public void invalidateAll() {
        tenants.invalidateAll();
    }
}
