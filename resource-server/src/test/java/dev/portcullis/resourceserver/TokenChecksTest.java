package dev.portcullis.resourceserver;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;

import static dev.portcullis.resourceserver.FakeIssuer.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each RFC 9068 check of {@link ResourceServer#verify}, against a fake issuer on a loopback port. */
class TokenChecksTest {

    private final FakeIssuer users = new FakeIssuer("T1-U");
    private final FakeIssuer customers = new FakeIssuer("T1-C");

    @AfterEach
    void stop() {
        users.close();
        customers.close();
    }

    private ResourceServer.Builder builder() {
        return ResourceServer.builder().trustIssuer(users.issuer(), customers.issuer()).audience(API);
    }

    private void assertRefused(ResourceServer server, String token, String... descriptionContains) {
        assertThatThrownBy(() -> server.verify(token)).isInstanceOf(InvalidTokenException.class)
                .hasMessageContainingAll(descriptionContains);
    }

    @Test
    void acceptsTokensOfEachTrustedIssuerAndReadsTheirClaims() throws Exception {
        ResourceServer server = builder().build();
        AccessToken user = server.verify(users.token());
        assertThat(user.issuer()).isEqualTo(users.issuer());
        assertThat(user.actorType()).isEqualTo(ActorType.CLIENT_ON_BEHALF_OF_USER);
        assertThat(user.scopes()).containsExactlyInAnyOrder("knowledge.portalmgr.onbehalfof.read", "other.scope");
        assertThat(user.subject()).isEqualTo("1001");
        assertThat(user.clientId()).isEqualTo("7121f585");
        assertThat(user.tenant()).contains("T1");

        AccessToken customer = server.verify(customers.sign(customers.claims().claim("actor_type", "customer").build()));
        assertThat(customer.issuer()).isEqualTo(customers.issuer());
        assertThat(customer.actorType()).isEqualTo(ActorType.CUSTOMER);
    }

    @Test
    void refusesAnIssuerItDoesNotTrustAndATokenSignedByAnotherIssuersKey() {
        ResourceServer onlyUsers = ResourceServer.builder().trustIssuer(users.issuer()).audience(API).build();
        assertRefused(onlyUsers, customers.token(), "issuer " + customers.issuer() + " is not trusted");
        // a token claiming a trusted issuer but signed with someone else's key, even under a kid the issuer uses
        JWK foreign = FakeIssuer.rsaKey();
        String forged = FakeIssuer.sign(new com.nimbusds.jose.jwk.RSAKey.Builder(foreign.toRSAKey())
                .keyID(users.signingKey.getKeyID()).build(), JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), users.claims().build());
        assertRefused(onlyUsers, forged, "signature does not verify");
        // issuers are compared exactly: a trailing slash is another issuer
        assertRefused(onlyUsers, users.sign(users.claims().issuer(users.issuer() + "/").build()), "is not trusted");
    }

    @Test
    void refusesAnotherAudience() {
        assertRefused(builder().build(), users.sign(users.claims().audience("https://elsewhere.example").build()),
                "audience https://elsewhere.example", "not this API (" + API + ")");
    }

    @Test
    void checksExpiryAndNotBeforeWithTheConfiguredSkew() throws Exception {
        Instant now = Instant.now();
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        String expired30sAgo = users.sign(users.claims().expirationTime(Date.from(now.minusSeconds(30))).build());
        String expired90sAgo = users.sign(users.claims().expirationTime(Date.from(now.minusSeconds(90))).build());
        String notBeforeIn30s = users.sign(users.claims().notBeforeTime(Date.from(now.plusSeconds(30))).build());

        ResourceServer defaultSkew = builder().clock(clock).build();
        assertThat(defaultSkew.verify(expired30sAgo).subject()).as("within the 60 s default skew").isEqualTo("1001");
        assertThat(defaultSkew.verify(notBeforeIn30s).subject()).isEqualTo("1001");
        assertRefused(defaultSkew, expired90sAgo, "expired at");

        ResourceServer noSkew = builder().clock(clock).clockSkew(Duration.ZERO).build();
        assertRefused(noSkew, expired30sAgo, "expired at");
        assertRefused(noSkew, notBeforeIn30s, "not valid before");
        assertThatThrownBy(() -> builder().clockSkew(Duration.ofMinutes(10))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsOnlyTypAtJwtUnlessTypJwtIsAllowed() throws Exception {
        JWTClaimsSet claims = users.claims().build();
        String typJwt = FakeIssuer.sign(users.signingKey, JWSAlgorithm.RS256, JOSEObjectType.JWT, claims);
        String noTyp = FakeIssuer.sign(users.signingKey, JWSAlgorithm.RS256, null, claims);
        String mediaType = FakeIssuer.sign(users.signingKey, JWSAlgorithm.RS256, new JOSEObjectType("application/AT+JWT"), claims);

        ResourceServer strict = builder().build();
        assertRefused(strict, typJwt, "typ is JWT", "at+jwt");
        assertRefused(strict, noTyp, "typ is null");
        assertThat(strict.verify(mediaType).subject()).as("RFC 9068: case-insensitive, application/ prefix").isEqualTo("1001");

        ResourceServer lenient = builder().acceptTypJwt().build();
        assertThat(lenient.verify(typJwt).subject()).isEqualTo("1001");
        assertRefused(lenient, noTyp, "typ is null");
    }

    @Test
    void acceptsOnlyTheAllowedAsymmetricAlgorithms() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        users.publish(ec);
        String es256 = FakeIssuer.sign(ec, JWSAlgorithm.ES256, new JOSEObjectType("at+jwt"), users.claims().build());
        String ps256 = FakeIssuer.sign(users.signingKey, JWSAlgorithm.PS256, new JOSEObjectType("at+jwt"), users.claims().build());
        String rs384 = FakeIssuer.sign(users.signingKey, JWSAlgorithm.RS384, new JOSEObjectType("at+jwt"), users.claims().build());
        OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID(users.signingKey.getKeyID()).generate();
        String hs256 = FakeIssuer.sign(secret, JWSAlgorithm.HS256, new JOSEObjectType("at+jwt"), users.claims().build());

        ResourceServer defaults = builder().build();
        assertThat(defaults.verify(es256).subject()).isEqualTo("1001");
        assertThat(defaults.verify(ps256).subject()).isEqualTo("1001");
        assertRefused(defaults, rs384, "signed with RS384", "RS256");
        assertRefused(defaults, hs256, "signed with HS256");
        assertRefused(defaults, users.token().substring(0, 20) + ".x.y", "not a signed JWT");
        assertRefused(defaults, new com.nimbusds.jwt.PlainJWT(users.claims().build()).serialize(), "not a signed JWT");

        ResourceServer onlyEs256 = builder().algorithms(JWSAlgorithm.ES256).build();
        assertRefused(onlyEs256, users.token(), "signed with RS256", "accepts ES256");
        assertThat(onlyEs256.verify(es256).subject()).isEqualTo("1001");
        assertThatThrownBy(() -> builder().algorithms(JWSAlgorithm.HS256).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesTokensMissingRequiredClaimsOrWithAnUnknownActorType() {
        ResourceServer server = builder().build();
        assertRefused(server, users.sign(users.claims().claim("client_id", null).build()), "no client_id claim");
        assertRefused(server, users.sign(users.claims().jwtID(null).build()), "no jti claim");
        assertRefused(server, users.sign(users.claims().claim("actor_type", "admin").build()), "actor_type admin");
        assertRefused(server, users.sign(users.claims().claim("actor_type", null).build()), "actor_type null");
    }

    @Test
    void buildRefusesUnsafeOrIncompleteConfiguration() {
        assertThatThrownBy(() -> ResourceServer.builder().trustIssuer("http://auth.example.com/system/auth/T-U"))
                .hasMessageContaining("must use https");
        assertThatThrownBy(() -> ResourceServer.builder().trustIssuer("https://auth.example.com/x?y=1"))
                .hasMessageContaining("without query");
        assertThatThrownBy(() -> ResourceServer.builder().trustIssuer(users.issuer()).build()).hasMessageContaining("audience");
        assertThatThrownBy(() -> ResourceServer.builder().audience(API).build()).hasMessageContaining("issuer");
        assertThatThrownBy(() -> builder().keyCacheLifetime(Duration.ofSeconds(5)).unknownKeyRefetchInterval(Duration.ofSeconds(5))
                .build()).hasMessageContaining("shorter than the key cache lifetime");
        assertThat(ResourceServer.builder().trustIssuer("https://auth.example.com/system/auth/T-U", "http://[::1]:8080/a")
                .audience(API).build()).isNotNull();
    }
}
