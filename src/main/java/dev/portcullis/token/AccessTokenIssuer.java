package dev.portcullis.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.Tenant;

import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * Signs JWT access tokens per RFC 9068: header typ at+jwt with kid, or typ JWT for a tenant whose resource
 * servers cannot accept at+jwt; nothing is stored per token. A token bound to a DPoP key carries
 * {@code cnf.jkt} (RFC 9449 section 6.1).
 */
public final class AccessTokenIssuer {

    public static final JOSEObjectType AT_JWT = new JOSEObjectType(Tenant.AT_JWT);
    /** The {@code client_id} of anonymous customers' tokens; the ':' keeps it apart from every registrable client id. */
    public static final String ANONYMOUS_CLIENT_ID = "urn:portcullis:anonymous-customer";

    private final SigningKeys keys;
    private final String publicUrl;
    private final String audience;
    private final Clock clock;

    public AccessTokenIssuer(SigningKeys keys, String publicUrl, String audience, Clock clock) {
        this.keys = keys;
        this.publicUrl = publicUrl;
        this.audience = audience;
        this.clock = clock;
    }

    /** The typ a tenant's access tokens carry. */
    public static JOSEObjectType typ(Tenant tenant) {
        return Tenant.JWT.equals(tenant.accessTokenTyp()) ? JOSEObjectType.JWT : AT_JWT;
    }

    private static JWSHeader header(SigningKey key, Tenant tenant) {
        return new JWSHeader.Builder(key.algorithm()).type(typ(tenant)).keyID(key.kid()).build();
    }

    public IssuedToken issue(TokenGrant grant) {
        long now = clock.instant().getEpochSecond();
        long ttl = grant.accessTokenLifetime(now);
        String scope = grant.scopes().toParameter();
        JWTClaimsSet.Builder claims = commonClaims(grant.realm(), grant.subjectId(), grant.client().clientId(), scope,
                grant.actorType(), grant.accessTokenId(), now, ttl).audience(grant.audience().orElse(audience));
        grant.subject().ifPresent(subject -> {
            if (subject.realm() == RealmType.USER) {
                subject.username().ifPresent(username -> claims.claim("username", username));
            } else {
                subject.email().ifPresent(email -> claims.claim("email", email));
            }
        });
        Optional<ExchangeDetails> exchange = grant.exchange();
        exchange.flatMap(ExchangeDetails::identityProvider).ifPresent(idp -> claims.claim("idp", idp));
        Optional<Map<String, Object>> actor = exchange.flatMap(ExchangeDetails::actor);
        if (actor.isPresent()) {
            claims.claim("act", actor.get());
        } else if (grant.actsOnBehalf()) {
            claims.claim("act", Map.of("sub", grant.client().clientId()));
        }
        // RFC 9449 section 6.1: a DPoP-bound token names its key's thumbprint, which resource servers match with the proof's
        grant.proofKey().ifPresent(key -> claims.claim("cnf", Map.of("jkt", key.jkt())));
        return new IssuedToken(sign(grant.realm(), claims.build()), grant.accessTokenId(), ttl, scope, grant.refreshToken(),
                exchange.map(ExchangeDetails::issuedTokenType), grant.proofKey());
    }

    /**
     * An anonymous customer's token, from the tenant's customer realm, for a {@code subject} the caller
     * draws anew for every token. No client was authenticated, so {@code client_id} carries {@link #ANONYMOUS_CLIENT_ID},
     * a value no registered client can have, rather than whatever the caller sent.
     */
    public IssuedToken issueAnonymousCustomer(Realm realm, String subject, ScopeSet scopes, long ttl) {
        long now = clock.instant().getEpochSecond();
        String jti = TokenGrant.newAccessTokenId();
        String scope = scopes.toParameter();
        JWTClaimsSet claims = commonClaims(realm, subject, ANONYMOUS_CLIENT_ID, scope, ActorType.ANONYMOUS_CUSTOMER, jti, now, ttl)
                .build();
        return new IssuedToken(sign(realm, claims), jti, ttl, scope, Optional.empty());
    }

    /** The claims every access token has (RFC 9068 section 2.2, plus eGain's tenant and actor_type). */
    private JWTClaimsSet.Builder commonClaims(Realm realm, String subject, String clientId, String scope, ActorType actorType,
                                             String jti, long now, long ttl) {
        return new JWTClaimsSet.Builder()
                .issuer(realm.issuer(publicUrl))
                .subject(subject)
                .audience(audience)
                .expirationTime(new Date((now + ttl) * 1000))
                .issueTime(new Date(now * 1000))
                .jwtID(jti)
                .claim("client_id", clientId)
                .claim("scope", scope)
                .claim("tenant", realm.tenant().id())
                .claim("actor_type", actorType.claim());
    }

    private String sign(Realm realm, JWTClaimsSet claims) {
        SigningKey key = keys.activeKey(realm.tenant().id());
        SignedJWT jwt = new SignedJWT(header(key, realm.tenant()), claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed with key " + key.kid(), e);
        }
        return jwt.serialize();
    }
}
