package dev.portcullis.observe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import dev.portcullis.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.testing.AcmeTenant.APP_CLIENT;
import static dev.portcullis.testing.AcmeTenant.APP_SECRET;
import static dev.portcullis.testing.AcmeTenant.OBO_CLIENT;
import static dev.portcullis.testing.AcmeTenant.OBO_SECRET;
import static dev.portcullis.testing.AcmeTenant.U;
import static dev.portcullis.testing.AcmeTenant.YAML;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The management listener: {@code /health}, {@code /health/live}, {@code /health/ready} and the
 * Prometheus {@code /metrics} the token endpoint feeds; none of them on the public port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsAndHealthTest {

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stopServers() {
        servers.close();
    }

    /** The value of one sample line, or 0 when the series does not exist yet. */
    private static double sample(String scrape, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static String scrape(TestServer server) {
        HttpResponse<String> response = server.getManagement("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return response.body();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void healthIsUpWithTheDatabase(StoreKind store) {
        HttpResponse<String> response = servers.get(store).getManagement("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("database").asText()).isEqualTo("UP");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void livenessAndReadinessAreUpOnAMigratedDatabase(StoreKind store) {
        TestServer server = servers.get(store);
        HttpResponse<String> live = server.getManagement("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(json(live).path("status").asText()).isEqualTo("UP");

        HttpResponse<String> ready = server.getManagement("/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"database\":\"UP\",\"migrations\":\"UP\"}");
        assertThat(ready.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void metricsAndHealthAreNotOnThePublicPort(StoreKind store) {
        TestServer server = servers.get(store);
        assertThat(server.managementPort()).isNotEqualTo(server.port());
        for (String path : new String[] {"/metrics", "/health", "/health/live", "/health/ready"}) {
            assertError(server.get(path), 404, "not_found");
        }
    }

    @Test
    void aTakenManagementPortIsRefusedWithTheSettingToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestServer.start(StoreKind.SQLITE, YAML,
                    Map.of("management_port", String.valueOf(taken.getLocalPort()))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("management_port " + taken.getLocalPort() + " taken").hasMessageContaining("0 for any");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void notReadyWhileAMigrationIsPendingButStillLive(StoreKind store) {
        try (TestServer server = TestServer.start(store, YAML)) {
            // as if this build carried a migration the database has not had yet
            server.database().sql().update("DELETE FROM flyway_schema_history WHERE installed_rank = "
                    + "(SELECT MAX(installed_rank) FROM flyway_schema_history)");

            HttpResponse<String> ready = server.getManagement("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(json(ready).path("status").asText()).isEqualTo("DOWN");
            assertThat(json(ready).path("database").asText()).isEqualTo("UP");
            assertThat(json(ready).path("migrations").asText()).isEqualTo("DOWN");
            assertThat(server.getManagement("/health/live").statusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void notReadyNorHealthyWithoutTheDatabaseButStillLive(StoreKind store) {
        try (TestServer server = TestServer.start(store, YAML)) {
            server.database().close();

            HttpResponse<String> ready = server.getManagement("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(json(ready).path("database").asText()).isEqualTo("DOWN");
            assertThat(server.getManagement("/health").statusCode()).isEqualTo(503);
            assertThat(server.getManagement("/health/live").statusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void issuedTokensAreCountedByGrantAndTenant(StoreKind store) {
        TestServer server = servers.get(store);
        String password = "portcullis_tokens_issued_total{grant=\"password\",tenant=\"ACME\"}";
        String clientCredentials = "portcullis_tokens_issued_total{grant=\"client_credentials\",tenant=\"ACME\"}";
        String before = scrape(server);

        assertToken(server.postForm(U, form("grant_type", "password", "client_id", OBO_CLIENT, "client_secret", OBO_SECRET,
                "scope", "obo.read", "subject_username", "Alice")));
        for (int i = 0; i < 2; i++) {
            assertToken(server.postForm(U, form("grant_type", "client_credentials", "client_id", APP_CLIENT,
                    "client_secret", APP_SECRET, "scope", "app.read")));
        }

        String after = scrape(server);
        assertThat(after).contains("# TYPE portcullis_tokens_issued_total counter");
        assertThat(sample(after, password) - sample(before, password)).isEqualTo(1.0);
        assertThat(sample(after, clientCredentials) - sample(before, clientCredentials)).isEqualTo(2.0);
        assertThat(after).contains("# TYPE portcullis_token_request_seconds histogram");
        assertThat(after).containsPattern("portcullis_token_request_seconds_bucket\\{outcome=\"success\",le=\"[0-9.]+\"\\} [0-9]")
                .contains("portcullis_token_request_seconds_bucket{outcome=\"success\",le=\"+Inf\"}");
        assertThat(sample(after, "portcullis_token_request_seconds_count{outcome=\"success\"}")
                - sample(before, "portcullis_token_request_seconds_count{outcome=\"success\"}")).isEqualTo(3.0);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void errorsAreCountedByErrorCode(StoreKind store) {
        TestServer server = servers.get(store);
        String invalidScope = "portcullis_oauth_errors_total{error=\"invalid_scope\"}";
        String invalidClient = "portcullis_oauth_errors_total{error=\"invalid_client\"}";
        String before = scrape(server);

        assertError(server.postForm(U, form("grant_type", "client_credentials", "client_id", APP_CLIENT,
                "client_secret", APP_SECRET, "scope", "no.such.scope")), 400, "invalid_scope");
        assertError(server.postForm(U, form("grant_type", "client_credentials", "client_id", APP_CLIENT,
                "client_secret", "wrong-0123456789abcdefghijklmnopqrstu", "scope", "app.read")), 400, "invalid_client");
        assertError(server.postForm(U, form("grant_type", "client_credentials", "client_id", APP_CLIENT,
                "client_secret", "wrong-0123456789abcdefghijklmnopqrstu", "scope", "app.read")), 400, "invalid_client");

        String after = scrape(server);
        assertThat(after).contains("# TYPE portcullis_oauth_errors_total counter");
        assertThat(sample(after, invalidScope) - sample(before, invalidScope)).isEqualTo(1.0);
        assertThat(sample(after, invalidClient) - sample(before, invalidClient)).isEqualTo(2.0);
        assertThat(sample(after, "portcullis_token_request_seconds_count{outcome=\"error\"}")
                - sample(before, "portcullis_token_request_seconds_count{outcome=\"error\"}")).isEqualTo(3.0);
    }
}
