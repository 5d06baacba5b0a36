package dev.portcullis.token;

import com.nimbusds.jose.jwk.JWK;
import dev.portcullis.store.Sql;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Signing keys at rest: public JWK in clear, private JWK as a JWE under the master key. A key is
 * {@code next} (published, signing from {@code activates_at}), {@code active} (signing) or {@code retiring}
 * (published until {@code retires_at}); a retired key is deleted. A tenant has at most one active and one
 * waiting key, whatever their algorithms: a change of algorithm is a rotation like any other.
 * <p>
 * Besides, a tenant has at most one {@code idtoken} key per algorithm: it signs only the ID tokens of clients
 * that registered an {@code id_token_signed_response_alg} other than the active key's, and never verifies an
 * access token. Replaced, it becomes {@code idtoken_retiring}, published until {@code retires_at}.
 */
public final class SigningKeyRepository {

    public static final String NEXT = "next";
    public static final String ACTIVE = "active";
    public static final String RETIRING = "retiring";
    public static final String IDTOKEN = "idtoken";
    public static final String IDTOKEN_RETIRING = "idtoken_retiring";

    /** Whether a key of this status may verify an access token: ID-token keys never sign one. */
    public static boolean signsAccessTokens(String status) {
        return !IDTOKEN.equals(status) && !IDTOKEN_RETIRING.equals(status);
    }

    public record StoredKey(String kid, String tenantId, String algorithm, String status, String publicJwk,
                            String privateKeyEncrypted, long createdAt, OptionalLong activatesAt, OptionalLong retiresAt) {
        public JWK publicKey() {
            try {
                return JWK.parse(publicJwk);
            } catch (ParseException e) {
                throw new IllegalStateException("stored public key " + kid + " is not a JWK", e);
            }
        }
    }

    private static final String COLUMNS = "kid, tenant_id, algorithm, status, public_jwk, private_key_encrypted, created_at, "
            + "activates_at, retires_at";

    private final Sql sql;

    public SigningKeyRepository(Sql sql) {
        this.sql = sql;
    }

    /** The tenant's active or waiting key (the unique indexes allow one of each per tenant). */
    public Optional<StoredKey> withStatus(String tenantId, String status) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM signing_keys WHERE tenant_id = ? AND status = ?",
                SigningKeyRepository::map, tenantId, status);
    }

    /** The algorithm the tenant chose ({@code tenants.signing_alg}); empty when it follows the server's. */
    public Optional<String> chosenAlgorithm(String tenantId) {
        return sql.queryOne("SELECT signing_alg FROM tenants WHERE id = ?", row -> row.getString(1), tenantId)
                .filter(java.util.Objects::nonNull);
    }

    public void setChosenAlgorithm(Sql tx, String tenantId, String algorithm) {
        tx.update("UPDATE tenants SET signing_alg = ? WHERE id = ?", algorithm, tenantId);
    }

    /** The tenant's ID-token key of that algorithm (the unique index allows one per tenant and algorithm). */
    public Optional<StoredKey> idTokenKey(String tenantId, String algorithm) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM signing_keys WHERE tenant_id = ? AND status = ? AND algorithm = ?",
                SigningKeyRepository::map, tenantId, IDTOKEN, algorithm);
    }

    /** Takes an ID-token key out of signing; it stays published until {@code retiresAt}. Guarded by its status. */
    public boolean retireIdTokenKey(Sql tx, String kid, long retiresAt) {
        return tx.update("UPDATE signing_keys SET status = ?, retires_at = ? WHERE kid = ? AND status = ?",
                IDTOKEN_RETIRING, retiresAt, kid, IDTOKEN) == 1;
    }

    /** ID-token keys older than their tenant's rotation period. */
    public List<StoredKey> idTokenKeysDue(long now) {
        return sql.query("SELECT " + prefixed("k") + " FROM signing_keys k JOIN tenants t ON t.id = k.tenant_id "
                        + "WHERE k.status = ? AND k.created_at + t.signing_key_rotation_days * 86400 <= ?",
                SigningKeyRepository::map, IDTOKEN, now);
    }

    public Optional<StoredKey> find(String tenantId, String kid) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM signing_keys WHERE tenant_id = ? AND kid = ?",
                SigningKeyRepository::map, tenantId, kid);
    }

    /** Every key of the tenant, newest first: all of them are published, since each may verify a token. */
    public List<StoredKey> published(String tenantId) {
        return sql.query("SELECT " + COLUMNS + " FROM signing_keys WHERE tenant_id = ? ORDER BY created_at DESC, kid",
                SigningKeyRepository::map, tenantId);
    }

    /**
     * Inserts a key unless one with its status already exists for the tenant (the
     * partial unique indexes on active and next keys decide between racing instances). Returns
     * whether this insert won.
     */
    public boolean insertIfNone(Sql tx, StoredKey key) {
        int rows = tx.update("INSERT INTO signing_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                key.kid(), key.tenantId(), key.algorithm(), key.status(), key.publicJwk(), key.privateKeyEncrypted(), key.createdAt(),
                key.activatesAt().isPresent() ? key.activatesAt().getAsLong() : null,
                key.retiresAt().isPresent() ? key.retiresAt().getAsLong() : null);
        return rows == 1;
    }

    public boolean insertIfNone(StoredKey key) {
        return insertIfNone(sql, key);
    }

    /**
     * Makes {@code next} the active key and keeps {@code active} published until {@code retiresAt}.
     * Guarded by the keys' statuses, so of two instances promoting at once only one changes anything.
     */
    public boolean promote(Sql tx, StoredKey active, StoredKey next, long retiresAt) {
        if (tx.update("UPDATE signing_keys SET status = ?, retires_at = ? WHERE kid = ? AND status = ?",
                RETIRING, retiresAt, active.kid(), ACTIVE) != 1) {
            return false;
        }
        return tx.update("UPDATE signing_keys SET status = ?, activates_at = NULL WHERE kid = ? AND status = ?",
                ACTIVE, next.kid(), NEXT) == 1;
    }

    public boolean delete(Sql tx, String kid) {
        return tx.update("DELETE FROM signing_keys WHERE kid = ?", kid) == 1;
    }

    /** Deletes retiring keys (ID-token ones included) whose last token has expired; returns how many. */
    public int deleteRetired(Sql tx, long now) {
        return tx.update("DELETE FROM signing_keys WHERE status IN (?, ?) AND retires_at <= ?", RETIRING, IDTOKEN_RETIRING, now);
    }

    /**
     * Gives a retirement time to retiring keys that have none: keys a migration took out of signing
     * without knowing the time. {@code retiresAt} must outlast any token they may have signed.
     */
    public int scheduleUndatedRetirements(Sql tx, long retiresAt) {
        return tx.update("UPDATE signing_keys SET retires_at = ? WHERE status = ? AND retires_at IS NULL", retiresAt, RETIRING);
    }

    /** Active keys older than their tenant's rotation period that have no successor waiting. */
    public List<StoredKey> dueForRotation(long now) {
        return sql.query("SELECT " + prefixed("k") + " FROM signing_keys k JOIN tenants t ON t.id = k.tenant_id "
                        + "WHERE k.status = ? AND k.created_at + t.signing_key_rotation_days * 86400 <= ? "
                        + "AND NOT EXISTS (SELECT 1 FROM signing_keys n WHERE n.tenant_id = k.tenant_id "
                        + "AND n.status = ?)",
                SigningKeyRepository::map, ACTIVE, now, NEXT);
    }

    /**
     * The longest an access token of the tenant can live: its own lifetime, a client's or an anonymous
     * customer's (up to a day, independent of the others), whichever is longest.
     */
    public long longestTokenLifetime(Sql tx, String tenantId) {
        return tx.queryOne("SELECT MAX(ttl) FROM (SELECT access_token_ttl AS ttl FROM tenants WHERE id = ? "
                        + "UNION ALL SELECT access_token_ttl FROM clients WHERE tenant_id = ? AND access_token_ttl IS NOT NULL "
                        + "UNION ALL SELECT access_token_ttl FROM anonymous_customers WHERE tenant_id = ?) AS lifetimes",
                row -> row.getLong(1), tenantId, tenantId, tenantId).orElse(0L);
    }

    private static String prefixed(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    private static StoredKey map(java.sql.ResultSet row) throws java.sql.SQLException {
        long activates = row.getLong(8);
        OptionalLong activatesAt = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(activates);
        long retires = row.getLong(9);
        OptionalLong retiresAt = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(retires);
        return new StoredKey(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getLong(7), activatesAt, retiresAt);
    }
}
