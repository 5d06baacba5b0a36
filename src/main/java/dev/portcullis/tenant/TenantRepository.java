package dev.portcullis.tenant;

import dev.portcullis.store.Sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tenants and their scopes in the database. */
public final class TenantRepository {

    private static final String LOGIN_THROTTLE_COLUMNS = "login_account_free_failures, login_account_max_delay, "
            + "login_address_free_failures, login_address_max_delay, login_window";

    private final Sql sql;

    public TenantRepository(Sql sql) {
        this.sql = sql;
    }

    public Optional<Tenant> find(String tenantId) {
        return sql.queryOne("SELECT id, name, access_token_ttl, enabled, refresh_token_idle_ttl, refresh_token_absolute_ttl, "
                        + LOGIN_THROTTLE_COLUMNS + ", access_token_typ, " + AuthorizationColumns.COLUMNS + ", "
                        + RateLimitPolicy.COLUMNS + " FROM tenants WHERE id = ?",
                row -> new Tenant(row.getString(1), row.getString(2), row.getInt(3), row.getInt(4) == 1,
                        scopes(row.getString(1)), new Tenant.RefreshPolicy(row.getInt(5), row.getInt(6)),
                        new LoginThrottlePolicy(row.getInt(7), row.getInt(8), row.getInt(9), row.getInt(10), row.getInt(11)),
                        row.getString(12), AuthorizationColumns.read(row, 13), RateLimitPolicy.read(row)),
                tenantId);
    }

    /** Stores the tenant's {@link AuthorizationSettings}; returns true if they changed. */
    public boolean setAuthorization(Sql tx, String id, AuthorizationSettings settings) {
        boolean same = tx.queryOne("SELECT " + AuthorizationColumns.COLUMNS + " FROM tenants WHERE id = ?",
                row -> AuthorizationColumns.read(row, 1), id).map(settings::equals).orElse(false);
        if (same) {
            return false;
        }
        tx.update("UPDATE tenants SET " + AuthorizationColumns.ASSIGNMENTS + " WHERE id = ?",
                AuthorizationColumns.values(settings, id));
        return true;
    }

    /** Stores the tenant's {@link RateLimitPolicy}; returns true if it changed. */
    public boolean setRateLimits(Sql tx, String id, RateLimitPolicy limits) {
        return tx.update("UPDATE tenants SET rate_token_per_client = ?, rate_token_per_address = ?, rate_authorize_per_address = ?, "
                        + "rate_login_per_address = ? WHERE id = ? AND NOT (rate_token_per_client = ? AND rate_token_per_address = ? "
                        + "AND rate_authorize_per_address = ? AND rate_login_per_address = ?)",
                limits.tokenPerClient(), limits.tokenPerAddress(), limits.authorizePerAddress(), limits.loginPerAddress(), id,
                limits.tokenPerClient(), limits.tokenPerAddress(), limits.authorizePerAddress(), limits.loginPerAddress()) > 0;
    }

    public List<Tenant> list() {
        return sql.query("SELECT id FROM tenants ORDER BY id", row -> row.getString(1))
                .stream().map(id -> find(id).orElseThrow()).toList();
    }

    private Map<String, ScopeDefinition> scopes(String tenantId) {
        Map<String, ScopeDefinition> scopes = new LinkedHashMap<>();
        for (ScopeDefinition scope : sql.query(
                "SELECT name, kind, description FROM scopes WHERE tenant_id = ? ORDER BY name",
                row -> new ScopeDefinition(row.getString(1), ScopeKind.fromLabel(row.getString(2)).orElseThrow(),
                        row.getString(3)), tenantId)) {
            scopes.put(scope.name(), scope);
        }
        return java.util.Collections.unmodifiableMap(scopes);
    }

    /** Inserts or updates a tenant by id, leaving a new tenant's sign-in throttling at the defaults; returns true if anything changed. */
    public boolean upsert(Sql tx, String id, String name, int accessTokenTtl, Tenant.RefreshPolicy refresh, boolean enabled,
                          long now) {
        return upsert(tx, id, name, accessTokenTtl, refresh, new TenantRepository(tx).find(id)
                .map(Tenant::loginThrottle).orElse(LoginThrottlePolicy.DEFAULT), enabled, now);
    }

    /**
     * Inserts or updates a tenant by id; returns true if anything changed. A new tenant gets the
     * {@link BuiltInScopes} with it, so every way of creating one (CLI, tenants file, demo) has them.
     */
    public boolean upsert(Sql tx, String id, String name, int accessTokenTtl, Tenant.RefreshPolicy refresh,
                          LoginThrottlePolicy throttle, boolean enabled, long now) {
        Optional<Tenant> existing = new TenantRepository(tx).find(id);
        if (existing.isEmpty()) {
            tx.update("INSERT INTO tenants (id, name, access_token_ttl, enabled, refresh_token_idle_ttl, refresh_token_absolute_ttl, "
                            + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    id, name, accessTokenTtl, enabled, refresh.idleTtl(), refresh.absoluteTtl(), now, now);
            setLoginThrottle(tx, id, throttle);
            BuiltInScopes.ALL.forEach(scope -> upsertScope(tx, id, scope));
            return true;
        }
        Tenant t = existing.get();
        if (t.name().equals(name) && t.accessTokenTtl() == accessTokenTtl && t.enabled() == enabled
                && t.refreshPolicy().equals(refresh) && t.loginThrottle().equals(throttle)) {
            return false;
        }
        setLoginThrottle(tx, id, throttle);
        tx.update("UPDATE tenants SET name = ?, access_token_ttl = ?, enabled = ?, refresh_token_idle_ttl = ?, "
                        + "refresh_token_absolute_ttl = ?, updated_at = ? WHERE id = ?",
                name, accessTokenTtl, enabled, refresh.idleTtl(), refresh.absoluteTtl(), now, id);
        return true;
    }

    /** Sets how often the tenant's signing key is rotated; returns true if it changed. */
    public boolean setSigningKeyRotationDays(Sql tx, String id, int days) {
        return tx.update("UPDATE tenants SET signing_key_rotation_days = ? WHERE id = ? AND signing_key_rotation_days <> ?",
                days, id, days) > 0;
    }

    /**
     * Sets the tenant's signing algorithm ({@code null}: the server's) and access-token typ; returns true if
     * either changed. A new algorithm takes effect through a key rotation, which the signing keys start.
     */
    public boolean setTokenSigning(Sql tx, String id, String signingAlgorithm, String accessTokenTyp) {
        boolean same = tx.queryOne("SELECT signing_alg, access_token_typ FROM tenants WHERE id = ?",
                row -> java.util.Objects.equals(row.getString(1), signingAlgorithm) && row.getString(2).equals(accessTokenTyp), id)
                .orElse(false);
        if (same) {
            return false;
        }
        tx.update("UPDATE tenants SET signing_alg = ?, access_token_typ = ? WHERE id = ?", signingAlgorithm, accessTokenTyp, id);
        return true;
    }

    private static void setLoginThrottle(Sql tx, String id, LoginThrottlePolicy throttle) {
        tx.update("UPDATE tenants SET login_account_free_failures = ?, login_account_max_delay = ?, login_address_free_failures = ?, "
                        + "login_address_max_delay = ?, login_window = ? WHERE id = ?",
                throttle.accountFreeFailures(), throttle.accountMaxDelaySeconds(), throttle.addressFreeFailures(),
                throttle.addressMaxDelaySeconds(), throttle.windowSeconds(), id);
    }

    /** Inserts or updates a scope by name; returns true if anything changed. */
    public boolean upsertScope(Sql tx, String tenantId, ScopeDefinition scope) {
        Optional<ScopeDefinition> existing = tx.queryOne(
                "SELECT name, kind, description FROM scopes WHERE tenant_id = ? AND name = ?",
                row -> new ScopeDefinition(row.getString(1), ScopeKind.fromLabel(row.getString(2)).orElseThrow(),
                        row.getString(3)), tenantId, scope.name());
        if (existing.isEmpty()) {
            tx.update("INSERT INTO scopes (tenant_id, name, kind, description) VALUES (?, ?, ?, ?)",
                    tenantId, scope.name(), scope.kind().label(), scope.description());
            return true;
        }
        if (existing.get().equals(scope)) {
            return false;
        }
        tx.update("UPDATE scopes SET kind = ?, description = ? WHERE tenant_id = ? AND name = ?",
                scope.kind().label(), scope.description(), tenantId, scope.name());
        return true;
    }

    /** Deletes a scope definition; callers make sure no client still holds it. */
    public boolean removeScope(Sql tx, String tenantId, String name) {
        return tx.update("DELETE FROM scopes WHERE tenant_id = ? AND name = ?", tenantId, name) > 0;
    }

    public boolean setEnabled(Sql tx, String tenantId, boolean enabled, long now) {
        return tx.update("UPDATE tenants SET enabled = ?, updated_at = ? WHERE id = ? AND enabled <> ?",
                enabled, now, tenantId, enabled) > 0;
    }
}
