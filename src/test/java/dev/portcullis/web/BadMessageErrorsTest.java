package dev.portcullis.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testing.AcmeTenant;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests Jetty refuses before any route (over its URI or header limits) get RFC 6749 JSON, not Jetty's HTML page.
 * Found by ops/random-requests: a metadata GET with an 8 KiB query came back as "<h1>Bad Message 414</h1>".
 */
class BadMessageErrorsTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(StoreKind.SQLITE, AcmeTenant.YAML);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aUriOverTheLimitIsRefusedWithOAuthJson() throws Exception {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/system/auth/ACME-U/oauth2/jwks?resource=" + "x".repeat(10_000))).GET().build());

        assertJsonRefusal(response, 414, "URI is too long");
    }

    @Test
    void headersOverTheLimitAreRefusedWithOAuthJson() throws Exception {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/system/auth/ACME-U/oauth2/jwks")).header("X-Padding", "p".repeat(10_000)).GET().build());

        assertJsonRefusal(response, 431, "headers are too large");
    }

    private static void assertJsonRefusal(HttpResponse<String> response, int status, String description) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo("invalid_request");
        assertThat(body.path("error_description").asText()).contains(description).doesNotContain("xxxx");
    }
}
