package dev.portcullis.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Identity-provider registrations, one row each; lists are stored as JSON arrays. */
public final class IdentityProviderRepository {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "tenant_id, registration_id, name, realm, issuer, jwks_uri, audiences, algorithms, "
            + "user_claim, allow_private_network";

    private final Sql sql;

    public IdentityProviderRepository(Sql sql) {
        this.sql = sql;
    }

    public Optional<IdentityProvider> find(String tenantId, String registrationId) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM identity_providers WHERE tenant_id = ? AND registration_id = ?",
                IdentityProviderRepository::map, tenantId, registrationId);
    }

    public List<IdentityProvider> list(String tenantId) {
        return sql.query("SELECT " + COLUMNS + " FROM identity_providers WHERE tenant_id = ? ORDER BY name, registration_id",
                IdentityProviderRepository::map, tenantId);
    }

    /** Inserts or updates a registration; returns true if anything changed. */
    public boolean upsert(Sql tx, IdentityProvider provider, long now) {
        Optional<IdentityProvider> existing = new IdentityProviderRepository(tx).find(provider.tenantId(), provider.registrationId());
        if (existing.isPresent() && existing.get().equals(provider)) {
            return false;
        }
        Object[] values = {provider.name(), provider.realm().databaseValue(), provider.issuer(), provider.jwksUri().orElse(null),
                toJson(provider.audiences()), toJson(provider.algorithms()), provider.userClaim().claim(),
                provider.allowPrivateNetwork(), now, provider.tenantId(), provider.registrationId()};
        if (existing.isPresent()) {
            tx.update("UPDATE identity_providers SET name = ?, realm = ?, issuer = ?, jwks_uri = ?, audiences = ?, algorithms = ?, "
                    + "user_claim = ?, allow_private_network = ?, updated_at = ? WHERE tenant_id = ? AND registration_id = ?", values);
        } else {
            tx.update("INSERT INTO identity_providers (name, realm, issuer, jwks_uri, audiences, algorithms, user_claim, "
                    + "allow_private_network, updated_at, tenant_id, registration_id, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", append(values, now));
        }
        return true;
    }

    public boolean remove(Sql tx, String tenantId, String registrationId) {
        return tx.update("DELETE FROM identity_providers WHERE tenant_id = ? AND registration_id = ?", tenantId, registrationId) > 0;
    }

    private static IdentityProvider map(ResultSet row) throws SQLException {
        return new IdentityProvider(row.getString(1), row.getString(2), row.getString(3),
                RealmType.fromSuffix(row.getString(4)).orElseThrow(), row.getString(5), Optional.ofNullable(row.getString(6)),
                fromJson(row.getString(7)), fromJson(row.getString(8)), UserClaim.fromClaim(row.getString(9)).orElseThrow(),
                row.getInt(10) == 1);
    }

    private static Object[] append(Object[] values, Object last) {
        Object[] all = java.util.Arrays.copyOf(values, values.length + 1);
        all[values.length] = last;
        return all;
    }

    private static String toJson(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> fromJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("identity_providers holds a list that is not JSON: " + e.getOriginalMessage());
        }
    }
}
