package dev.portcullis.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import dev.portcullis.identity.Subject;
import dev.portcullis.token.IssuedToken;
import dev.portcullis.token.SignInEvent;
import dev.portcullis.token.SigningKey;
import dev.portcullis.token.SigningKeys;
import dev.portcullis.token.TokenGrant;
import dev.portcullis.token.TokenResponseExtension;

import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds an ID token (OpenID Connect Core 1.0, section 2) to the token response of a sign-in whose
 * scope holds {@code openid}: after the code is redeemed and after every refresh. It is signed with
 * the tenant's active key, as access tokens are, unless the client registered another algorithm
 * ({@code id_token_signed_response_alg}): then with the tenant's ID-token key of that algorithm.
 */
public final class IdTokenIssuer implements TokenResponseExtension {

    /** Only passwords authenticate users here (RFC 8176). */
    static final List<String> AMR = List.of("pwd");

    private final SigningKeys keys;
    private final String publicUrl;
    private final Clock clock;

    public IdTokenIssuer(SigningKeys keys, String publicUrl, Clock clock) {
        this.keys = keys;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> parameters(TokenGrant grant, IssuedToken token) {
        // A code or refresh token issued before this release has no recorded sign-in: no ID token rather than a made-up auth_time.
        if (!grant.scopes().names().contains(StandardClaims.OPENID) || grant.signIn().isEmpty() || grant.subject().isEmpty()) {
            return Map.of();
        }
        return Map.of("id_token", sign(grant, grant.subject().get(), grant.signIn().get(), token));
    }

    private String sign(TokenGrant grant, Subject subject, SignInEvent signIn, IssuedToken token) {
        SigningKey key = keys.idTokenKey(grant.realm().tenant().id(), grant.client().idTokenSigningAlg());
        long now = clock.instant().getEpochSecond();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(grant.realm().issuer(publicUrl))
                .subject(subject.id())
                .audience(grant.client().clientId())
                .expirationTime(new Date((now + grant.accessTokenLifetime()) * 1000))
                .issueTime(new Date(now * 1000))
                .claim("auth_time", signIn.authTime())
                .claim("sid", signIn.sessionId())
                .claim("amr", AMR);
        signIn.nonce().ifPresent(nonce -> claims.claim("nonce", nonce));
        accessTokenHash(token, key).ifPresent(hash -> claims.claim("at_hash", hash));
        StandardClaims.of(subject, grant.scopes().names()).forEach(claims::claim);

        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).type(JOSEObjectType.JWT).keyID(key.kid()).build(),
                claims.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing an ID token failed with key " + key.kid(), e);
        }
        return jwt.serialize();
    }

    /** at_hash: the left half of the access token's hash under the signature's hash function (section 3.1.3.6). */
    private static Optional<String> accessTokenHash(IssuedToken token, SigningKey key) {
        Curve curve = key.publicJwk() instanceof OctetKeyPair okp ? okp.getCurve() : null;
        AccessTokenHash hash = curve == null
                ? AccessTokenHash.compute(new BearerAccessToken(token.accessToken()), key.algorithm())
                : AccessTokenHash.compute(new BearerAccessToken(token.accessToken()), key.algorithm(), curve);
        return Optional.ofNullable(hash).map(AccessTokenHash::getValue);
    }
}
