package dev.portcullis.ratelimit;

import dev.portcullis.admin.TenantsFileException;
import dev.portcullis.admin.TenantsFileParser;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.json;
import static dev.portcullis.testing.ReliabilityTenant.APP;
import static dev.portcullis.testing.ReliabilityTenant.APP_SECRET;
import static dev.portcullis.testing.ReliabilityTenant.OTHER_APP;
import static dev.portcullis.testing.ReliabilityTenant.TOKEN;
import static dev.portcullis.testing.ReliabilityTenant.YAML;
import static dev.portcullis.testing.ReliabilityTenant.authorizePath;
import static dev.portcullis.testing.ReliabilityTenant.clientCredentials;
import static dev.portcullis.testing.ReliabilityTenant.get;
import static dev.portcullis.testing.ReliabilityTenant.post;
import static dev.portcullis.testing.ReliabilityTenant.signIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tenants' request rate limits: 429 with Retry-After past them, per client and per client address. */
class RateLimitTest {

    private static String withLimits(String limits) {
        return YAML.replace("    name: Reliability tenant\n", "    name: Reliability tenant\n    rate_limits: " + limits + "\n");
    }

    static void assertLimited(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        assertThat(json(response).path("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    static void assertLimitedPage(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.body()).contains("Too many requests");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void eachAuthenticatedClientHasItsOwnAllowanceWhichOthersCannotSpend(StoreKind store) {
        try (TestServer server = TestServer.start(store, withLimits("{ token_requests_per_minute_per_client: 3 }"))) {
            // someone sending app's client_id with a wrong secret spends nothing of app's allowance
            for (int i = 0; i < 5; i++) {
                assertThat(json(post(server, TOKEN, Map.of("grant_type", "client_credentials", "client_id", APP,
                        "client_secret", APP_SECRET + "-wrong", "scope", "app.read"))).path("error").asText()).isEqualTo("invalid_client");
            }
            for (int i = 0; i < 3; i++) {
                assertToken(post(server, TOKEN, clientCredentials(APP)));
            }
            HttpResponse<String> refused = post(server, TOKEN, clientCredentials(APP));
            assertLimited(refused);
            assertThat(json(refused).path("error_description").asText()).contains("token requests from this client");
            assertToken(post(server, TOKEN, clientCredentials(OTHER_APP)));
        }
    }

    @Test
    void addressesComeFromTrustedProxiesOnly() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, withLimits("{ token_requests_per_minute_per_address: 2 }"),
                Map.of("trusted_proxies", "127.0.0.1/32"))) {
            Map<String, String> first = Map.of("X-Forwarded-For", "127.0.0.2");
            assertToken(post(server, TOKEN, clientCredentials(APP), first));
            assertToken(post(server, TOKEN, clientCredentials(OTHER_APP), first));
            HttpResponse<String> refused = post(server, TOKEN, clientCredentials(APP), first);
            assertLimited(refused);
            assertThat(json(refused).path("error_description").asText()).contains("from this address");
            // another client address behind the same proxy has its own allowance
            assertToken(post(server, TOKEN, clientCredentials(APP), Map.of("X-Forwarded-For", "127.0.0.3")));
        }
        try (TestServer server = TestServer.start(StoreKind.SQLITE, withLimits("{ token_requests_per_minute_per_address: 2 }"))) {
            // without trusted proxies the header is the client's own word: the socket address is counted
            assertToken(post(server, TOKEN, clientCredentials(APP), Map.of("X-Forwarded-For", "127.0.0.4")));
            assertToken(post(server, TOKEN, clientCredentials(APP), Map.of("X-Forwarded-For", "127.0.0.5")));
            assertLimited(post(server, TOKEN, clientCredentials(APP), Map.of("X-Forwarded-For", "127.0.0.6")));
        }
    }

    @Test
    void signInPagesAnswerAnHtmlPageOverTheirLimits() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, withLimits(
                "{ authorize_requests_per_minute_per_address: 3, login_requests_per_minute_per_address: 1 }"))) {
            assertThat(signIn(server, "one").statusCode()).isEqualTo(303);   // one authorize, one login
            assertThat(get(server, authorizePath("two")).statusCode()).isEqualTo(200);   // the second authorize
            // the third authorize shows the form; its login post is the second: over the limit
            assertLimitedPage(signIn(server, "three"));
            assertLimitedPage(get(server, authorizePath("four")));
            assertToken(post(server, TOKEN, clientCredentials(APP)));   // the token endpoint's limits are its own
        }
    }

    @Test
    void noLimitsUnlessATenantSetsThem() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, YAML)) {
            for (int i = 0; i < 50; i++) {
                assertToken(post(server, TOKEN, clientCredentials(APP)));
            }
        }
    }

    @Test
    void theTenantsFileRefusesBadLimitsWithTheirLine() {
        assertThatThrownBy(() -> TenantsFileParser.parse(withLimits("{ token_requests_per_minute_per_client: -1 }"), "t.yaml"))
                .isInstanceOf(TenantsFileException.class)
                .hasMessageContaining("'token_requests_per_minute_per_client' must be a whole number from 0 (no limit)");
        assertThatThrownBy(() -> TenantsFileParser.parse(withLimits("{ per_second: 5 }"), "t.yaml"))
                .isInstanceOf(TenantsFileException.class).hasMessageContaining("unknown key 'per_second' in rate_limits");
        assertThat(TenantsFileParser.parse(withLimits("{ login_requests_per_minute_per_address: 30 }"), "t.yaml")
                .tenants().get(0).rateLimits().loginPerAddress()).isEqualTo(30);
    }
}
