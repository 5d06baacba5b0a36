package dev.portcullis.exchange;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.testing.StoreKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.List;

import static dev.portcullis.exchange.ExchangeFixture.ACCESS_TOKEN;
import static dev.portcullis.exchange.ExchangeFixture.AUDIENCE;
import static dev.portcullis.exchange.ExchangeFixture.NO_EXCHANGE;
import static dev.portcullis.exchange.ExchangeFixture.NO_EXCHANGE_SECRET;
import static dev.portcullis.exchange.ExchangeFixture.SPA;
import static dev.portcullis.exchange.ExchangeFixture.U;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal of Token Exchange gives its RFC 6749 / 8693 error and a description that says what
 * to fix, and nothing gives a 5xx; providers that are down or never answer fail within seconds.
 */
class TokenExchangeRefusalsTest {

    private static ExchangeFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ExchangeFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static String alice() {
        return fixture.mockToken("alice@example.com", List.of(AUDIENCE), 600);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUnknownRegistrationIdIsRefused(StoreKind store) {
        assertError(fixture.external(store, "no-such-idp", alice()), 400, "invalid_request", "unknown registration_id", "no-such-idp");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTokenOfAnotherIssuerIsRefused(StoreKind store) {
        String otherIssuer = fixture.mockToken("someone-else", "alice@example.com", List.of(AUDIENCE), 600);
        assertError(fixture.external(store, "mock", otherIssuer), 400, "invalid_request", "issued by", "someone-else",
                fixture.mockIssuer());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBadSignatureIsRefused(StoreKind store) {
        // our own key under the provider's key id: the provider's published key does not verify it
        RSAKey impostor = new RSAKey.Builder(RotatingKeyProvider.newKey()).keyID(fixture.rotating.currentKey().getKeyID()).build();
        String forged = RotatingKeyProvider.token(impostor, fixture.rotating.issuer(), AUDIENCE, "alice@example.com");
        assertError(fixture.external(store, "rotating", forged), 400, "invalid_request", "signature does not verify");

        String valid = alice();
        String tampered = valid.substring(0, valid.lastIndexOf('.') + 1) + new StringBuilder(valid.substring(valid.lastIndexOf('.') + 1)).reverse();
        assertError(fixture.external(store, "mock", tampered), 400, "invalid_request", "signature");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anHmacOrUnsignedTokenIsRefusedBeforeAnyKeyIsFetched(StoreKind store) {
        JWTClaimsSet claims = RotatingKeyProvider.claims(fixture.rotating.issuer(), AUDIENCE, "alice@example.com");
        assertError(fixture.external(store, "rotating", RotatingKeyProvider.hmacToken(claims)), 400, "invalid_request", "HS256",
                "does not accept");
        String unsigned = new com.nimbusds.jwt.PlainJWT(claims).serialize();
        assertError(fixture.external(store, "rotating", unsigned), 400, "invalid_request", "not a signed JWT");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExpiredTokenIsRefused(StoreKind store) {
        String expired = fixture.mockToken("alice@example.com", List.of(AUDIENCE), -120);
        assertError(fixture.external(store, "mock", expired), 400, "invalid_request", "expired");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTokenForAnotherAudienceIsRefused(StoreKind store) {
        String elsewhere = fixture.mockToken("alice@example.com", List.of("api://someone-else"), 600);
        assertError(fixture.external(store, "mock", elsewhere), 400, "invalid_request", "aud", AUDIENCE);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUnknownOrDisabledUserIsRefused(StoreKind store) {
        assertError(fixture.external(store, "mock", fixture.mockToken("nobody@example.com", List.of(AUDIENCE), 600)), 400,
                "invalid_request", "nobody@example.com", "must exist");
        assertError(fixture.external(store, "mock", fixture.mockToken("bob@example.com", List.of(AUDIENCE), 600)), 400,
                "invalid_request", "bob@example.com", "enabled");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aClientWithoutTokenExchangeIsRefused(StoreKind store) {
        HttpResponse<String> response = fixture.exchange(store, U, NO_EXCHANGE, NO_EXCHANGE_SECRET, "subject_token", alice(),
                "subject_token_type", ACCESS_TOKEN, "registration_id", "mock");
        assertError(response, 400, "unauthorized_client", "token_exchange: true");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPublicClientIsRefused(StoreKind store) {
        HttpResponse<String> response = fixture.servers.get(store).postForm(U, form("grant_type", ExchangeFixture.GRANT,
                "client_id", SPA, "subject_token", alice(), "subject_token_type", ACCESS_TOKEN, "registration_id", "mock"));
        assertError(response, 400, "unauthorized_client", "public", "confidential");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unsupportedTokenTypesTargetsAndOverlongTokensAreRefused(StoreKind store) {
        assertError(fixture.external(store, "mock", alice(), "subject_token_type", "urn:x:saml"), 400, "invalid_request",
                "subject_token_type");
        assertError(fixture.external(store, "mock", alice(), "resource", "https://elsewhere.example"), 400, "invalid_target");
        assertError(fixture.external(store, "mock", alice(), "audience", "https://elsewhere.example"), 400, "invalid_target");
        assertError(fixture.external(store, "mock", alice(), "resource", "https://mcp.example.com/mcp", "audience",
                "https://api.example.test"), 400, "invalid_target", "different targets");
        assertError(fixture.external(store, "mock", "e".repeat(16_385)), 400, "invalid_request", "subject_token", "16384");
        assertError(fixture.external(store, "mock", alice(), "actor_token", "x"), 400, "invalid_request", "actor_token_type");
    }

    @Test
    void aProviderThatIsDownGivesAClearErrorWithinSeconds() {
        long start = System.nanoTime();
        String token = RotatingKeyProvider.token(fixture.rotating.currentKey(), fixture.unresponsive.downIssuer(), AUDIENCE,
                "alice@example.com");
        assertError(fixture.external(StoreKind.SQLITE, "down", token), 400, "invalid_request", "could not be fetched");
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(5_000);
    }

    @Test
    void aProviderThatNeverAnswersGivesAClearErrorWithinSeconds() {
        long start = System.nanoTime();
        String token = RotatingKeyProvider.token(fixture.rotating.currentKey(), fixture.unresponsive.slowIssuer(), AUDIENCE,
                "alice@example.com");
        assertError(fixture.external(StoreKind.SQLITE, "slow", token), 400, "invalid_request", "could not be fetched",
                fixture.unresponsive.slowIssuer());
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(6_000);
    }
}
