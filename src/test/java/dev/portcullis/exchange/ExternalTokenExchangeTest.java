package dev.portcullis.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;

import static dev.portcullis.exchange.ExchangeFixture.ACCESS_TOKEN;
import static dev.portcullis.exchange.ExchangeFixture.AUDIENCE;
import static dev.portcullis.exchange.ExchangeFixture.C;
import static dev.portcullis.exchange.ExchangeFixture.EXCHANGER;
import static dev.portcullis.exchange.ExchangeFixture.EXCHANGER_SECRET;
import static dev.portcullis.exchange.ExchangeFixture.U;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token Exchange of tokens from external identity providers (RFC 8693 with eGain's registration_id),
 * against mock-oauth2-server, a tenant of a second Portcullis and a provider that rotates its key.
 */
class ExternalTokenExchangeTest {

    private static ExchangeFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ExchangeFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aMockOAuth2ServerTokenBecomesATokenOfTheMatchingUserThatVerifiesAgainstTheRealmJwks(StoreKind store) throws Exception {
        HttpResponse<String> response = fixture.external(store, "mock", fixture.mockToken("Alice@Example.com", List.of(AUDIENCE), 600));

        assertToken(response);
        JsonNode body = OAuthResponses.json(response);
        assertThat(body.path("issued_token_type").asText()).isEqualTo(ACCESS_TOKEN);
        assertThat(body.path("expires_in").asLong()).as("the client's access token lifetime").isEqualTo(900);
        assertThat(body.path("scope").asText()).as("absent scope: all the client's delegated scopes").isEqualTo("deleg.read deleg.write");

        TestServer server = fixture.servers.get(store);
        JsonNode metadata = OAuthResponses.json(server.get("/system/auth/XCH-U/.well-known/openid-configuration"));
        assertThat(metadata.path("grant_types_supported").toString()).contains(ExchangeFixture.GRANT);
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                JWKSourceBuilder.create(URI.create(metadata.path("jwks_uri").asText()).toURL()).build()));
        JWTClaimsSet claims = processor.process(body.path("access_token").asText(), null);
        assertThat(claims.getIssuer()).isEqualTo(server.baseUrl() + "/system/auth/XCH-U");
        assertThat(claims.getSubject()).isEqualTo("1001");
        assertThat(claims.getStringClaim("actor_type")).isEqualTo("user");
        assertThat(claims.getStringClaim("idp")).isEqualTo("mock");
        assertThat(claims.getStringClaim("username")).isEqualTo("alice");
        assertThat(claims.getStringClaim("client_id")).isEqualTo(EXCHANGER);
        assertThat(claims.getClaim("act")).as("no actor_token, no act").isNull();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExchangedTokenMayBeBoundToAResourceOfTheTenantByResourceOrAudience(StoreKind store) throws Exception {
        String token = fixture.mockToken("alice@example.com", List.of(AUDIENCE), 600);
        assertThat(assertToken(fixture.external(store, "mock", token, "resource", "https://mcp.example.com/mcp"))
                .getJWTClaimsSet().getAudience()).containsExactly("https://mcp.example.com/mcp");
        assertThat(assertToken(fixture.external(store, "mock", token, "audience", "https://mcp.example.com/mcp"))
                .getJWTClaimsSet().getAudience()).containsExactly("https://mcp.example.com/mcp");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRequestedScopeMustBeADelegatedScopeOfTheClient(StoreKind store) {
        String token = fixture.mockToken("alice@example.com", List.of(AUDIENCE), 600);
        assertThat(OAuthResponses.json(fixture.external(store, "mock", token, "scope", "deleg.read")).path("scope").asText())
                .isEqualTo("deleg.read");
        assertError(fixture.external(store, "mock", token, "scope", "obo.read"), 400, "invalid_scope", "obo.read", "delegated");
        assertError(fixture.external(store, "mock", token, "scope", "app.read"), 400, "invalid_scope", "app.read", "delegated");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCustomerRegistrationMatchesCustomersByEmailInTheCustomerRealm(StoreKind store) throws Exception {
        String token = fixture.mockToken("jane@example.com", List.of(AUDIENCE), 600);
        HttpResponse<String> response = fixture.exchange(store, C, EXCHANGER, EXCHANGER_SECRET, "subject_token", token,
                "subject_token_type", ACCESS_TOKEN, "registration_id", "mock-c");
        JWTClaimsSet claims = assertToken(response).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("c-1");
        assertThat(claims.getStringClaim("actor_type")).isEqualTo("customer");
        assertThat(claims.getStringClaim("email")).isEqualTo("jane@example.com");

        assertError(fixture.external(store, "mock-c", token), 400, "invalid_request", "XCH-C");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTokenOfATenantOfASecondPortcullisIsExchangedThroughItsJwksUri(StoreKind store) throws Exception {
        HttpResponse<String> issued = fixture.idp.postForm("/system/auth/IDP-U/oauth2/token", form("grant_type", "password",
                "client_id", ExchangeFixture.IDP_CLIENT, "client_secret", ExchangeFixture.IDP_SECRET, "scope", "profile.read",
                "subject_userid", "1001"));
        String idpToken = assertToken(issued).serialize();

        JWTClaimsSet claims = assertToken(fixture.external(store, "second-portcullis", idpToken)).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("1001");
        assertThat(claims.getStringClaim("idp")).isEqualTo("second-portcullis");
        assertThat(claims.getStringClaim("username")).isEqualTo("alice");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aKeyRotationAtTheProviderIsPickedUpWithoutRestart(StoreKind store) {
        RSAKey before = fixture.rotating.currentKey();
        String issuer = fixture.rotating.issuer();
        assertToken(fixture.external(store, "rotating", RotatingKeyProvider.token(before, issuer, AUDIENCE, "alice@example.com")));

        RSAKey after = fixture.rotating.rotate();
        assertToken(fixture.external(store, "rotating", RotatingKeyProvider.token(after, issuer, AUDIENCE, "alice@example.com")));

        assertError(fixture.external(store, "rotating", RotatingKeyProvider.token(before, issuer, AUDIENCE, "alice@example.com")),
                400, "invalid_request", "key", before.getKeyID());
    }
}
