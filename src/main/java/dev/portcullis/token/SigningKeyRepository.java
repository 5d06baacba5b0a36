package dev.portcullis.token;

import com.nimbusds.jose.jwk.JWK;
import dev.portcullis.store.Sql;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;

/** Signing keys at rest: public JWK in clear, private JWK as a JWE under the master key. */
public final class SigningKeyRepository {

    public record StoredKey(String kid, String tenantId, String algorithm, String status, String publicJwk,
                            String privateKeyEncrypted, long createdAt) {
        public JWK publicKey() {
            try {
                return JWK.parse(publicJwk);
            } catch (ParseException e) {
                throw new IllegalStateException("stored public key " + kid + " is not a JWK", e);
            }
        }
    }

    private static final String COLUMNS = "kid, tenant_id, algorithm, status, public_jwk, private_key_encrypted, created_at";

    private final Sql sql;

    public SigningKeyRepository(Sql sql) {
        this.sql = sql;
    }

    public Optional<StoredKey> findActive(String tenantId, String algorithm) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM signing_keys WHERE tenant_id = ? AND algorithm = ? AND status = 'active'",
                SigningKeyRepository::map, tenantId, algorithm);
    }

    /** Keys whose public half is published: the active ones and those retired but still verifying. */
    public List<StoredKey> published(String tenantId) {
        return sql.query("SELECT " + COLUMNS + " FROM signing_keys WHERE tenant_id = ? AND status IN ('active', 'retired') ORDER BY created_at DESC, kid",
                SigningKeyRepository::map, tenantId);
    }

    /**
     * Inserts a new active key unless another instance won the race; the partial unique index
     * on (tenant, algorithm) for active keys decides. Returns whether this insert won.
     */
    public boolean insertIfNoActive(StoredKey key) {
        int rows = sql.update("INSERT INTO signing_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                key.kid(), key.tenantId(), key.algorithm(), key.status(), key.publicJwk(), key.privateKeyEncrypted(), key.createdAt());
        return rows == 1;
    }

    private static StoredKey map(java.sql.ResultSet row) throws java.sql.SQLException {
        return new StoredKey(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getLong(7));
    }
}
