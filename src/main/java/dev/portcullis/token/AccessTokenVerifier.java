package dev.portcullis.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.Tenant;

import java.text.ParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an access token this server issued, for introspection and revocation: signature by the
 * tenant's key its kid names (never a key that signs only ID tokens), in that key's algorithm (any supported one), {@code typ at+jwt} (or
 * {@code JWT} for a tenant that issues that), this realm as issuer, not expired, not revoked.
 * The key is looked up by kid rather than through Nimbus' key selector, which cannot hand out Ed25519 keys.
 */
public final class AccessTokenVerifier {

    // at+jwt always: a tenant that moved from JWT to at+jwt keeps accepting what it issues now. JWT only where
    // the tenant issues it, so that elsewhere no other JWT of the realm (an ID token) passes for an access token.
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> AT_JWT_ONLY =
            new DefaultJOSEObjectTypeVerifier<>(AccessTokenIssuer.AT_JWT);
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> AT_JWT_OR_JWT =
            new DefaultJOSEObjectTypeVerifier<>(AccessTokenIssuer.AT_JWT, JOSEObjectType.JWT);

    private final SigningKeys keys;
    private final Sql sql;
    private final String publicUrl;

    public AccessTokenVerifier(SigningKeys keys, Sql sql, String publicUrl) {
        this.keys = keys;
        this.sql = sql;
        this.publicUrl = publicUrl;
    }

    /** The token's claims if it is valid and active in this realm. */
    public Optional<JWTClaimsSet> verify(Realm realm, String token) {
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader header = jwt.getHeader();
            (Tenant.JWT.equals(realm.tenant().accessTokenTyp()) ? AT_JWT_OR_JWT : AT_JWT_ONLY).verify(header.getType(), null);
            JWK key = header.getKeyID() == null ? null : keys.accessTokenVerificationKeys(realm.tenant().id()).getKeyByKeyId(header.getKeyID());
            if (key == null || !SigningAlgorithms.SUPPORTED_SET.contains(header.getAlgorithm())
                    || !header.getAlgorithm().equals(key.getAlgorithm()) || !jwt.verify(JwkSigners.verifier(key))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            new DefaultJWTClaimsVerifier<>(new JWTClaimsSet.Builder().issuer(realm.issuer(publicUrl)).build(),
                    Set.of("sub", "exp", "iat", "jti", "client_id")).verify(claims, null);
            return isRevoked(claims.getJWTID()) ? Optional.empty() : Optional.of(claims);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
    }

    /**
     * The DPoP key a verified token is bound to ({@code cnf.jkt}, RFC 9449 section 6.1), or empty for a Bearer token.
     * A {@code cnf} that names no thumbprint is never issued here; it reads as bound to no key anyone holds.
     */
    public static Optional<String> boundKey(JWTClaimsSet claims) {
        Object cnf = claims.getClaim("cnf");
        if (cnf == null) {
            return Optional.empty();
        }
        Object jkt = cnf instanceof java.util.Map<?, ?> map ? map.get("jkt") : null;
        return Optional.of(jkt instanceof String thumbprint ? thumbprint : "");
    }

    public void revoke(String tenantId, String jti, long expiresAt) {
        sql.update("INSERT INTO revoked_access_tokens (jti, tenant_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                jti, tenantId, expiresAt);
    }

    public boolean isRevoked(String jti) {
        return sql.queryOne("SELECT 1 FROM revoked_access_tokens WHERE jti = ?", row -> 1, jti).isPresent();
    }
}
