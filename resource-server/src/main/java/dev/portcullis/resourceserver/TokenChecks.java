package dev.portcullis.resourceserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * RFC 9068 section 4's checks of a JWT access token, cheapest first, each refusal saying what was wrong:
 * the header (algorithm, typ) and the issuer before any key is fetched, then the signature with the
 * issuer's key, then audience and lifetime. The claims are read before the signature is checked only to
 * choose the issuer's keys; nothing else is trusted until the signature verifies.
 */
final class TokenChecks {

    /** RFC 9068 section 2.2's required claims; Portcullis issues them all. */
    private static final List<String> REQUIRED_CLAIMS = List.of("iss", "exp", "aud", "sub", "client_id", "iat", "jti");

    private final TrustedIssuers issuers;
    private final String audience;
    private final Set<JOSEObjectType> types;
    private final Set<JWSAlgorithm> algorithms;
    private final Duration clockSkew;
    private final Clock clock;

    TokenChecks(TrustedIssuers issuers, String audience, Set<JOSEObjectType> types, Set<JWSAlgorithm> algorithms,
                Duration clockSkew, Clock clock) {
        this.issuers = issuers;
        this.audience = audience;
        this.types = types;
        this.algorithms = algorithms;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    AccessToken verify(String token) throws InvalidTokenException, IssuerUnavailableException {
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            jwt = SignedJWT.parse(token);
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("the access token is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!algorithms.contains(header.getAlgorithm())) {
            throw new InvalidTokenException("the token is signed with " + header.getAlgorithm() + "; this API accepts "
                    + algorithms.stream().map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", ")));
        }
        if (header.getType() == null || !types.contains(normalized(header.getType()))) {
            throw new InvalidTokenException("the token's typ is " + header.getType() + "; an access token has typ "
                    + types.stream().map(JOSEObjectType::getType).sorted().collect(Collectors.joining(" or ")));
        }
        String issuer = unverified.getIssuer();
        IssuerKeys keys = issuers.keys(issuer == null ? "" : issuer).orElseThrow(() -> new InvalidTokenException(
                "issuer " + issuer + " is not trusted by this API"));
        JWTClaimsSet claims = verifiedClaims(jwt, issuer, keys);
        checkClaims(claims);
        ActorType actorType = ActorType.fromClaim(text(claims, "actor_type")).orElseThrow(() -> new InvalidTokenException(
                "the token's actor_type " + text(claims, "actor_type") + " is none of eGain's actor types"));
        return new AccessToken(issuer, actorType, AccessToken.parseScopes(text(claims, "scope")), claims);
    }

    /** RFC 9068 section 4 compares typ case-insensitively and allows the "application/" prefix. */
    private static JOSEObjectType normalized(JOSEObjectType type) {
        String value = type.getType().toLowerCase(java.util.Locale.ROOT);
        return new JOSEObjectType(value.startsWith("application/") ? value.substring("application/".length()) : value);
    }

    /**
     * Verifies with the issuer's key the header selects (kid, algorithm, key type). Keys are matched as JWKs,
     * not converted to Java keys as Nimbus' JWT processor does, because that conversion drops Ed25519 keys.
     */
    private JWTClaimsSet verifiedClaims(SignedJWT jwt, String issuer, IssuerKeys keys)
            throws InvalidTokenException, IssuerUnavailableException {
        List<JWK> candidates;
        try {
            candidates = keys.source().get(new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader())), null);
        } catch (RateLimitReachedException e) {
            // the keys were fetched moments ago for another unknown kid: this one is not there either
            throw noKey(jwt, issuer);
        } catch (KeySourceException e) {
            throw new IssuerUnavailableException("the keys of issuer " + issuer + " could not be fetched: " + e.getMessage(), e);
        }
        if (candidates.isEmpty()) {
            throw noKey(jwt, issuer);
        }
        for (JWK key : candidates) {
            try {
                if (jwt.verify(Verifiers.of(key, jwt.getHeader().getAlgorithm()))) {
                    return jwt.getJWTClaimsSet();
                }
            } catch (JOSEException | ParseException e) {
                // a key of the wrong shape for this algorithm: try the next one
            }
        }
        throw new InvalidTokenException("the signature does not verify with issuer " + issuer + "'s key "
                + jwt.getHeader().getKeyID());
    }

    private static InvalidTokenException noKey(SignedJWT jwt, String issuer) {
        return new InvalidTokenException("issuer " + issuer + " publishes no " + jwt.getHeader().getAlgorithm()
                + " key with kid " + jwt.getHeader().getKeyID());
    }

    private void checkClaims(JWTClaimsSet claims) throws InvalidTokenException {
        for (String name : REQUIRED_CLAIMS) {
            if (claims.getClaim(name) == null) {
                throw new InvalidTokenException("the token has no " + name + " claim");
            }
        }
        if (!claims.getAudience().contains(audience)) {
            throw new InvalidTokenException("the token is for audience " + String.join(" ", claims.getAudience())
                    + ", not this API (" + audience + ")");
        }
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        if (expires == null || !now.minus(clockSkew).isBefore(expires.toInstant())) {
            throw new InvalidTokenException("the token expired at " + (expires == null ? "?" : expires.toInstant()));
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(clockSkew).isBefore(notBefore.toInstant())) {
            throw new InvalidTokenException("the token is not valid before " + notBefore.toInstant());
        }
    }

    private static String text(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String text ? text : null;
    }
}
