package dev.portcullis.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.Tenant;

import java.text.ParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an access token this server issued, for introspection and revocation: signature by one of
 * the tenant's keys in any supported algorithm, {@code typ at+jwt} (or {@code JWT} for a tenant that issues
 * that), this realm as issuer, not expired, not revoked.
 */
public final class AccessTokenVerifier {

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
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // at+jwt always: a tenant that moved from JWT to at+jwt keeps accepting what it issues now. JWT only where
        // the tenant issues it, so that elsewhere no other JWT of the realm (an ID token) passes for an access token.
        processor.setJWSTypeVerifier(Tenant.JWT.equals(realm.tenant().accessTokenTyp())
                ? new DefaultJOSEObjectTypeVerifier<>(AccessTokenIssuer.AT_JWT, JOSEObjectType.JWT)
                : new DefaultJOSEObjectTypeVerifier<>(AccessTokenIssuer.AT_JWT));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(SigningAlgorithms.SUPPORTED_SET,
                new ImmutableJWKSet<>(keys.publicKeys(realm.tenant().id()))));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(realm.issuer(publicUrl)).build(),
                Set.of("sub", "exp", "iat", "jti", "client_id")));
        try {
            JWTClaimsSet claims = processor.process(token, null);
            return isRevoked(claims.getJWTID()) ? Optional.empty() : Optional.of(claims);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
    }

    public void revoke(String tenantId, String jti, long expiresAt) {
        sql.update("INSERT INTO revoked_access_tokens (jti, tenant_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                jti, tenantId, expiresAt);
    }

    private boolean isRevoked(String jti) {
        return sql.queryOne("SELECT 1 FROM revoked_access_tokens WHERE jti = ?", row -> 1, jti).isPresent();
    }
}
