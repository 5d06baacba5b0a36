package dev.portcullis.egain;

import dev.portcullis.store.LookupCache;
import dev.portcullis.store.Sql;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Each tenant's {@link AnonymousCustomerPolicy} in the database, read through the shared lookup
 * cache (which the cache refresher empties when configuration changes, as for tenants and clients).
 */
public final class AnonymousCustomerPolicies {

    private record PolicyKey(String tenantId) implements LookupCache.Key {
        @Override
        public long estimatedBytes() {
            return LookupCache.bytes(tenantId);
        }
    }

    private final Sql sql;
    private final LookupCache cache;

    public AnonymousCustomerPolicies(Sql sql, LookupCache cache) {
        this.sql = sql;
        this.cache = cache;
    }

    /** The tenant's policy; empty when its tenants file had no {@code anonymous_customers}. */
    public Optional<AnonymousCustomerPolicy> find(String tenantId) {
        return cache.get(new PolicyKey(tenantId), key -> load(sql, key.tenantId()),
                policy -> 64 + policy.map(p -> LookupCache.bytes(p.scopes())).orElse(0L));
    }

    public static Optional<AnonymousCustomerPolicy> load(Sql sql, String tenantId) {
        return sql.queryOne("SELECT enabled, scopes, access_token_ttl, requests_per_minute_per_address, "
                        + "requests_per_minute_per_tenant FROM anonymous_customers WHERE tenant_id = ?",
                row -> new AnonymousCustomerPolicy(row.getInt(1) == 1, words(row.getString(2)),
                        row.getInt(3), row.getInt(4), row.getInt(5)),
                tenantId);
    }

    /**
     * Makes the stored policy {@code policy}, removing it when empty (a tenants file without the
     * section disables the endpoint, as it leaves other settings at their defaults); true if anything changed.
     */
    public static boolean save(Sql tx, String tenantId, Optional<AnonymousCustomerPolicy> policy) {
        Optional<AnonymousCustomerPolicy> existing = load(tx, tenantId);
        if (Objects.equals(existing, policy)) {
            return false;
        }
        if (policy.isEmpty()) {
            tx.update("DELETE FROM anonymous_customers WHERE tenant_id = ?", tenantId);
            return true;
        }
        AnonymousCustomerPolicy p = policy.get();
        String scopes = String.join(" ", p.scopes());
        if (existing.isEmpty()) {
            tx.update("INSERT INTO anonymous_customers (tenant_id, enabled, scopes, access_token_ttl, "
                            + "requests_per_minute_per_address, requests_per_minute_per_tenant) VALUES (?, ?, ?, ?, ?, ?)",
                    tenantId, p.enabled(), scopes, p.accessTokenTtl(), p.requestsPerMinutePerAddress(),
                    p.requestsPerMinutePerTenant());
        } else {
            tx.update("UPDATE anonymous_customers SET enabled = ?, scopes = ?, access_token_ttl = ?, "
                            + "requests_per_minute_per_address = ?, requests_per_minute_per_tenant = ? WHERE tenant_id = ?",
                    p.enabled(), scopes, p.accessTokenTtl(), p.requestsPerMinutePerAddress(), p.requestsPerMinutePerTenant(),
                    tenantId);
        }
        return true;
    }

    private static List<String> words(String spaceSeparated) {
        return java.util.Arrays.stream(spaceSeparated.split(" ")).filter(word -> !word.isEmpty()).toList();
    }
}
