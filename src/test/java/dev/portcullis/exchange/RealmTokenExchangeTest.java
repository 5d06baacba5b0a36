package dev.portcullis.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.StoreKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.portcullis.exchange.ExchangeFixture.ACCESS_TOKEN;
import static dev.portcullis.exchange.ExchangeFixture.AUDIENCE;
import static dev.portcullis.exchange.ExchangeFixture.EXCHANGER;
import static dev.portcullis.exchange.ExchangeFixture.EXCHANGER_SECRET;
import static dev.portcullis.exchange.ExchangeFixture.OTHER_EXCHANGER;
import static dev.portcullis.exchange.ExchangeFixture.OTHER_SECRET;
import static dev.portcullis.exchange.ExchangeFixture.U;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token Exchange of the realm's own tokens (no registration_id): down-scoping, and actor tokens
 * whose act claims nest (RFC 8693 section 4.1). Both tokens must have been issued to the client.
 */
class RealmTokenExchangeTest {

    private static ExchangeFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ExchangeFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static HttpResponse<String> realm(StoreKind store, String subjectToken, String... more) {
        java.util.Map<String, String> form = form("subject_token", subjectToken, "subject_token_type", ACCESS_TOKEN);
        form.putAll(form(more));
        return fixture.exchange(store, U, EXCHANGER, EXCHANGER_SECRET, ExchangeFixture.flatten(form));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRealmTokenIsExchangedForFewerScopesAndNeverOutlivesIt(StoreKind store) throws Exception {
        String alice = fixture.aliceToken(store);
        JWTClaimsSet original = com.nimbusds.jwt.SignedJWT.parse(alice).getJWTClaimsSet();
        assertThat(original.getStringClaim("scope")).isEqualTo("deleg.read deleg.write");

        HttpResponse<String> response = realm(store, alice, "scope", "deleg.read");
        JWTClaimsSet narrowed = assertToken(response).getJWTClaimsSet();
        JsonNode body = OAuthResponses.json(response);
        assertThat(body.path("issued_token_type").asText()).isEqualTo(ACCESS_TOKEN);
        assertThat(body.path("scope").asText()).isEqualTo("deleg.read");
        assertThat(narrowed.getSubject()).isEqualTo("1001");
        assertThat(narrowed.getStringClaim("actor_type")).isEqualTo("user");
        assertThat(narrowed.getStringClaim("idp")).as("the provider that vouched stays named").isEqualTo("mock");
        assertThat(narrowed.getExpirationTime()).isBeforeOrEqualTo(original.getExpirationTime());
        assertThat(narrowed.getJWTID()).isNotEqualTo(original.getJWTID());

        // the narrowed token verifies where the realm's own tokens do
        HttpResponse<String> introspection = fixture.servers.get(store).postForm("/system/auth/XCH-U/oauth2/introspect",
                form("token", body.path("access_token").asText(), "client_id", EXCHANGER, "client_secret", EXCHANGER_SECRET));
        assertThat(OAuthResponses.json(introspection).path("active").asBoolean()).isTrue();

        assertError(realm(store, body.path("access_token").asText(), "scope", "deleg.write"), 400, "invalid_scope",
                "deleg.write", "narrow");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anActorTokenAddsActAndActsNestWhenTheSubjectTokenHadOne(StoreKind store) throws Exception {
        String alice = fixture.aliceToken(store);
        String carolAsActor = fixture.onBehalfOf(store, EXCHANGER, EXCHANGER_SECRET, "1003");

        HttpResponse<String> first = realm(store, alice, "actor_token", carolAsActor, "actor_token_type", ACCESS_TOKEN);
        JWTClaimsSet once = assertToken(first).getJWTClaimsSet();
        assertThat(once.getSubject()).isEqualTo("1001");
        assertThat(once.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", "1003"));

        String clientAsActor = com.nimbusds.jwt.SignedJWT.parse(OAuthResponses.json(fixture.servers.get(store).postForm(U,
                form("grant_type", "client_credentials", "client_id", EXCHANGER, "client_secret", EXCHANGER_SECRET,
                        "scope", "app.read"))).path("access_token").asText()).serialize();
        HttpResponse<String> second = realm(store, OAuthResponses.json(first).path("access_token").asText(),
                "actor_token", clientAsActor, "actor_token_type", ACCESS_TOKEN);
        JWTClaimsSet twice = assertToken(second).getJWTClaimsSet();
        assertThat(twice.getSubject()).isEqualTo("1001");
        assertThat(twice.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", EXCHANGER, "act", Map.of("sub", "1003")));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aClientMayExchangeOnlyTokensIssuedToIt(StoreKind store) {
        String othersToken = OAuthResponses.json(fixture.exchange(store, U, OTHER_EXCHANGER, OTHER_SECRET,
                "subject_token", fixture.mockToken("alice@example.com", List.of(AUDIENCE), 600), "subject_token_type", ACCESS_TOKEN,
                "registration_id", "mock")).path("access_token").asText();
        assertError(realm(store, othersToken), 400, "invalid_request", "subject_token", "another client");

        String othersActor = othersToken;
        assertError(realm(store, fixture.aliceToken(store), "actor_token", othersActor, "actor_token_type", ACCESS_TOKEN),
                400, "invalid_request", "actor_token", "another client");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExternalTokenWithoutRegistrationIdOrAnIdTokenTypeIsRefused(StoreKind store) {
        String external = fixture.mockToken("alice@example.com", List.of(AUDIENCE), 600);
        assertError(realm(store, external), 400, "invalid_request", "not a valid", "registration_id");
        assertError(realm(store, fixture.aliceToken(store), "subject_token_type", "urn:ietf:params:oauth:token-type:id_token"),
                400, "invalid_request", "no ID tokens");
    }
}
