package dev.portcullis.resourceserver;

import com.nimbusds.jose.jwk.JWK;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.portcullis.resourceserver.FakeIssuer.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Finding an issuer's keys through its metadata, caching them, and refetching them on an unknown kid, but not too often. */
class IssuerKeysTest {

    private final FakeIssuer issuer = new FakeIssuer("T1-U");

    @AfterEach
    void stop() {
        issuer.close();
    }

    private ResourceServer server(Duration refetchInterval) {
        return ResourceServer.builder().trustIssuer(issuer.issuer()).audience(API).unknownKeyRefetchInterval(refetchInterval).build();
    }

    @Test
    void metadataUrlsFollowRfc8414AndThenOpenIdConnect() {
        assertThat(IssuerKeys.metadataUrls("https://a.example/system/auth/T-U")).containsExactly(
                "https://a.example/.well-known/oauth-authorization-server/system/auth/T-U",
                "https://a.example/system/auth/T-U/.well-known/openid-configuration");
        assertThat(IssuerKeys.metadataUrls("https://a.example")).containsExactly(
                "https://a.example/.well-known/oauth-authorization-server", "https://a.example/.well-known/openid-configuration");
    }

    @Test
    void fallsBackToOpenIdConfigurationWhenTheRfc8414DocumentIsMissing() throws Exception {
        issuer.rfc8414 = false;
        assertThat(server(Duration.ofSeconds(5)).verify(issuer.token()).subject()).isEqualTo("1001");
    }

    @Test
    void metadataNamingAnotherIssuerIsNotUsedAndTheApiAnswers503() {
        issuer.metadataIssuer = "https://impostor.example";
        ResourceServer server = server(Duration.ofSeconds(5));
        assertThatThrownBy(() -> server.verify(issuer.token())).isInstanceOf(IssuerUnavailableException.class)
                .hasMessageContaining("names issuer https://impostor.example");
        Decision decision = server.authorize("Bearer " + issuer.token(), AccessRule.allow(ActorType.CLIENT_ON_BEHALF_OF_USER));
        assertThat(decision).isInstanceOfSatisfying(Decision.Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.headers()).containsEntry("Retry-After", "5").doesNotContainKey("WWW-Authenticate");
        });
    }

    @Test
    void aKeySetAboveTheSizeLimitIsRefused() {
        ResourceServer small = ResourceServer.builder().trustIssuer(issuer.issuer()).audience(API)
                .fetchLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), 200).build();
        assertThatThrownBy(() -> small.verify(issuer.token())).isInstanceOf(IssuerUnavailableException.class);
    }

    @Test
    void theKeySetIsFetchedOnceThenReusedAndFetchedAgainForANewKid() throws Exception {
        ResourceServer server = server(Duration.ofMillis(300));
        for (int i = 0; i < 5; i++) {
            server.verify(issuer.token());
        }
        assertThat(issuer.jwksFetches).as("cached after the first token").hasValue(1);

        // the issuer rotates: a new key, published and signing at once, which the cache has never seen
        JWK next = FakeIssuer.rsaKey();
        issuer.publish(next);
        issuer.signingKey = next;
        Thread.sleep(400);
        assertThat(server.verify(issuer.token()).subject()).isEqualTo("1001");
        assertThat(issuer.jwksFetches).as("one refetch for the unknown kid").hasValue(2);
        server.verify(issuer.token());
        assertThat(issuer.jwksFetches).hasValue(2);
    }

    @Test
    void unknownKidsRefetchAtMostTwicePerIntervalSoForgedKidsCannotFloodTheIssuer() throws Exception {
        ResourceServer server = server(Duration.ofSeconds(30));
        server.verify(issuer.token());
        JWK unpublished = FakeIssuer.rsaKey();
        String forged = FakeIssuer.sign(unpublished, com.nimbusds.jose.JWSAlgorithm.RS256,
                new com.nimbusds.jose.JOSEObjectType("at+jwt"), issuer.claims().build());
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> server.verify(forged)).isInstanceOf(InvalidTokenException.class)
                    .hasMessageContaining("publishes no RS256 key with kid " + unpublished.getKeyID());
        }
        assertThat(issuer.jwksFetches.get()).as("fetches for 20 tokens with an unknown kid").isLessThanOrEqualTo(2);
        // the cost of the limit: within the interval, even a key published since waits for the next window
        issuer.publish(unpublished);
        assertThatThrownBy(() -> server.verify(forged)).isInstanceOf(InvalidTokenException.class);
        assertThat(issuer.jwksFetches.get()).isLessThanOrEqualTo(2);
    }
}
