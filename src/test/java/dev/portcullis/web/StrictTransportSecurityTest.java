package dev.portcullis.web;

import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.portcullis.testing.AcmeTenant.YAML;
import static org.assertj.core.api.Assertions.assertThat;

/** Strict-Transport-Security on every public response when, and only when, public_url is https. */
class StrictTransportSecurityTest {

    private static final String JWKS = "/system/auth/ACME-U/oauth2/jwks";

    @Test
    void anHttpsPublicUrlSendsHstsOnEveryResponse() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, YAML, Map.of("public_url", "https://id.example.test"))) {
            for (HttpResponse<String> response : new HttpResponse[] {server.get(JWKS), server.get("/no/such/page"),
                    server.postForm("/system/auth/ACME-U/oauth2/token", Map.of("grant_type", "nope"))}) {
                assertThat(response.headers().firstValue("Strict-Transport-Security")).as(response.uri().toString())
                        .contains("max-age=31536000");
            }
        }
    }

    @Test
    void anHttpPublicUrlSendsNone() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, YAML)) {
            HttpResponse<String> response = server.get(JWKS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }
}
