package dev.portcullis.token;

import dev.portcullis.client.SecretHasher;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Opaque refresh tokens (256 random bits, stored as a hash), grouped in families: one family per
 * sign-in. Rotation consumes a token with one conditional UPDATE; presenting a consumed token
 * again revokes the whole family. A public client's family started with a DPoP proof is bound to that key
 * (RFC 9449 section 5): each refresh must prove it again.
 */
public final class RefreshTokens {

    public record Family(String id, String tenantId, RealmType realm, String clientId, String subjectId, String scope,
                         long absoluteExpiresAt, OptionalLong revokedAt, Optional<SignInEvent> signIn, List<String> resources,
                         Optional<ProofKey> dpopKey) {
    }

    public record StoredToken(String tokenHash, Family family, long lastUsedAt, OptionalLong consumedAt) {
    }

    private final Sql sql;

    public RefreshTokens(Sql sql) {
        this.sql = sql;
    }

    public static String newFamilyId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Starts a family and returns its first token; {@code signIn} is the sign-in its ID tokens describe, {@code resources}
     * the resources (RFC 8707) its authorization named, to which its access tokens may be bound, and {@code dpopKey}
     * the key every refresh must prove, if the family is bound to one.
     */
    public String startFamily(Sql transaction, String familyId, String tenantId, RealmType realm, String clientId,
                              String subjectId, String scope, List<String> resources, Optional<SignInEvent> signIn,
                              Optional<ProofKey> dpopKey, long absoluteTtl, long now) {
        transaction.update("INSERT INTO refresh_families (id, tenant_id, realm, client_id, subject_id, scope, created_at, "
                        + "absolute_expires_at, auth_time, session_id, resources, dpop_jkt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                familyId, tenantId, realm.databaseValue(), clientId, subjectId, scope, now, now + absoluteTtl,
                signIn.map(SignInEvent::authTime).orElse(null), signIn.map(SignInEvent::sessionId).orElse(null),
                Resources.column(resources), dpopKey.map(ProofKey::jkt).orElse(null));
        return addToken(transaction, familyId, now);
    }

    public String addToken(Sql transaction, String familyId, long now) {
        String value = SecretHasher.generate();
        transaction.update("INSERT INTO refresh_tokens (token_hash, family_id, created_at, last_used_at) VALUES (?, ?, ?, ?)",
                SecretHasher.storedHash(value), familyId, now, now);
        return value;
    }

    public Optional<StoredToken> find(String value) {
        return sql.queryOne("SELECT t.token_hash, t.last_used_at, t.consumed_at, f.id, f.tenant_id, f.realm, f.client_id, "
                        + "f.subject_id, f.scope, f.absolute_expires_at, f.revoked_at, f.auth_time, f.session_id, f.resources, "
                        + "f.dpop_jkt FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.token_hash = ?",
                row -> {
                    long consumed = row.getLong(3);
                    OptionalLong consumedAt = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(consumed);
                    long revoked = row.getLong(11);
                    OptionalLong revokedAt = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(revoked);
                    long authTime = row.getLong(12);
                    boolean authTimeKnown = !row.wasNull();
                    String sessionId = row.getString(13);
                    Optional<SignInEvent> signIn = authTimeKnown && sessionId != null
                            ? Optional.of(new SignInEvent(authTime, sessionId, Optional.empty())) : Optional.empty();
                    Family family = new Family(row.getString(4), row.getString(5), RealmType.fromSuffix(row.getString(6)).orElseThrow(),
                            row.getString(7), row.getString(8), row.getString(9), row.getLong(10), revokedAt, signIn,
                            Resources.fromColumn(row.getString(14)), Optional.ofNullable(row.getString(15)).map(ProofKey::new));
                    return new StoredToken(row.getString(1), family, row.getLong(2), consumedAt);
                }, SecretHasher.storedHash(value));
    }

    /** Consumes a token for rotation; false if another request consumed it first. */
    public boolean consume(Sql transaction, String tokenHash, long now) {
        return transaction.update("UPDATE refresh_tokens SET consumed_at = ? WHERE token_hash = ? AND consumed_at IS NULL",
                now, tokenHash) == 1;
    }

    /** Records a use of a token that is not rotated (web clients), which restarts its idle lifetime. */
    public void touch(String tokenHash, long now) {
        sql.update("UPDATE refresh_tokens SET last_used_at = ? WHERE token_hash = ?", now, tokenHash);
    }

    /** Revokes every live family of a subject, in the caller's transaction; returns how many were revoked. */
    public static int revokeAllOf(Sql tx, String tenantId, RealmType realm, String subjectId, long now) {
        return tx.update("UPDATE refresh_families SET revoked_at = ? WHERE tenant_id = ? AND realm = ? AND subject_id = ? "
                + "AND revoked_at IS NULL AND absolute_expires_at > ?", now, tenantId, realm.databaseValue(), subjectId, now);
    }

    /** Revokes every live family of a client (one being deleted), in the caller's transaction. */
    public static int revokeAllOfClient(Sql tx, String tenantId, String clientId, long now) {
        return tx.update("UPDATE refresh_families SET revoked_at = ? WHERE tenant_id = ? AND client_id = ? AND revoked_at IS NULL",
                now, tenantId, clientId);
    }

    public void revokeFamily(String familyId, long now) {
        sql.update("UPDATE refresh_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, familyId);
    }
}
