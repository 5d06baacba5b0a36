package dev.portcullis.token;

import dev.portcullis.client.SecretHasher;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Authorization codes: 256 random bits, stored as a hash, valid {@link #LIFETIME_SECONDS}, bound
 * to client, redirect_uri, realm, subject, scopes, resources, code_challenge, nonce and DPoP key ({@code dpop_jkt}). Redemption is one
 * conditional UPDATE, so of two concurrent redemptions exactly one wins on either database.
 */
public final class AuthorizationCodes {

    public static final int LIFETIME_SECONDS = 60;

    public record NewCode(String tenantId, RealmType realm, String clientId, String redirectUri, String subjectId,
                          String scope, Optional<String> codeChallenge, Optional<String> nonce, long authTime, String sessionId,
                          List<String> resources, Optional<ProofKey> dpopKey) {
    }

    public record StoredCode(String tenantId, RealmType realm, String clientId, String redirectUri, String subjectId,
                             String scope, Optional<String> codeChallenge, Optional<String> nonce, long expiresAt,
                             OptionalLong consumedAt, Optional<String> familyId, Optional<IssuedAccessToken> accessToken,
                             Optional<SignInEvent> signIn, List<String> resources, Optional<ProofKey> dpopKey) {
    }

    /** The access token a redemption produced, remembered so that a replay of the code can deny it. */
    public record IssuedAccessToken(String jti, long expiresAt) {
    }

    private final Sql sql;

    public AuthorizationCodes(Sql sql) {
        this.sql = sql;
    }

    /** Stores a new code and returns its value, which exists only in the redirect. */
    public String create(NewCode code, long now) {
        String value = SecretHasher.generate();
        sql.update("INSERT INTO authorization_codes (code_hash, tenant_id, realm, client_id, redirect_uri, subject_id, scope, "
                        + "code_challenge, nonce, created_at, expires_at, auth_time, session_id, resources, dpop_jkt) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                SecretHasher.storedHash(value), code.tenantId(), code.realm().databaseValue(), code.clientId(), code.redirectUri(),
                code.subjectId(), code.scope(), code.codeChallenge().orElse(null), code.nonce().orElse(null), now,
                now + LIFETIME_SECONDS, code.authTime(), code.sessionId(), Resources.column(code.resources()),
                code.dpopKey().map(ProofKey::jkt).orElse(null));
        return value;
    }

    /**
     * Expires a subject's codes not yet redeemed, in the caller's transaction, so a sign-in completed just before
     * its sessions ended cannot start a new refresh token family afterwards; returns how many there were.
     */
    public static int expireUnredeemedOf(Sql tx, String tenantId, RealmType realm, String subjectId, long now) {
        return tx.update("UPDATE authorization_codes SET expires_at = ? WHERE tenant_id = ? AND realm = ? AND subject_id = ? "
                + "AND consumed_at IS NULL AND expires_at > ?", now, tenantId, realm.databaseValue(), subjectId, now);
    }

    public Optional<StoredCode> find(String value) {
        return sql.queryOne("SELECT tenant_id, realm, client_id, redirect_uri, subject_id, scope, code_challenge, nonce, "
                        + "expires_at, consumed_at, family_id, access_token_jti, access_token_expires_at, auth_time, session_id, "
                        + "resources, dpop_jkt FROM authorization_codes WHERE code_hash = ?",
                row -> {
                    long consumed = row.getLong(10);
                    OptionalLong consumedAt = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(consumed);
                    String jti = row.getString(12);
                    Optional<IssuedAccessToken> accessToken = jti == null ? Optional.empty()
                            : Optional.of(new IssuedAccessToken(jti, row.getLong(13)));
                    long authTime = row.getLong(14);
                    boolean authTimeKnown = !row.wasNull();
                    String sessionId = row.getString(15);
                    Optional<String> nonce = Optional.ofNullable(row.getString(8));
                    // codes written before OpenID Connect have no sign-in event: they get no ID token
                    Optional<SignInEvent> signIn = authTimeKnown && sessionId != null
                            ? Optional.of(new SignInEvent(authTime, sessionId, nonce)) : Optional.empty();
                    return new StoredCode(row.getString(1), RealmType.fromSuffix(row.getString(2)).orElseThrow(), row.getString(3),
                            row.getString(4), row.getString(5), row.getString(6), Optional.ofNullable(row.getString(7)),
                            nonce, row.getLong(9), consumedAt, Optional.ofNullable(row.getString(11)),
                            accessToken, signIn, Resources.fromColumn(row.getString(16)),
                            Optional.ofNullable(row.getString(17)).map(ProofKey::new));
                }, SecretHasher.storedHash(value));

    }

    /**
     * Marks the code redeemed by the refresh family {@code familyId} and the access token {@code accessToken};
     * false if it was already redeemed.
     */
    public boolean redeem(Sql transaction, String value, String familyId, IssuedAccessToken accessToken, long now) {
        return transaction.update("UPDATE authorization_codes SET consumed_at = ?, family_id = ?, access_token_jti = ?, "
                        + "access_token_expires_at = ? WHERE code_hash = ? AND consumed_at IS NULL",
                now, familyId, accessToken.jti(), accessToken.expiresAt(), SecretHasher.storedHash(value)) == 1;
    }
}
