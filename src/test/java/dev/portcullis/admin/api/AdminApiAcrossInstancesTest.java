package dev.portcullis.admin.api;

import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.portcullis.admin.api.AdminApiClient.ok;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two instances on one PostgreSQL, as behind a load balancer: a client created, given a secret and disabled through
 * the admin API of one instance is honoured by the other within a second. The poll is set to a minute, so only the
 * database's change notification can explain that speed.
 */
class AdminApiAcrossInstancesTest {

    private static final Map<String, String> SLOW_POLL = Map.of("cache_refresh_seconds", "60");
    private static final long WITHIN_MILLIS = 1_000;

    @Test
    void changesThroughTheApiOfOneInstanceHoldOnTheOtherWithinASecond() throws Exception {
        try (TestServer a = TestServer.start(StoreKind.POSTGRES, AdminTenants.YAML, SLOW_POLL);
             TestServer b = TestServer.secondInstance(a, SLOW_POLL)) {
            AdminApiClient api = new AdminApiClient(a, AdminTenants.automationToken(a, "ALPHA"));
            // B looks the client up before it exists, so it holds a cached miss the change must drop
            assertThat(token(b, "reports", "no-secret-yet-0123456789abcdefghijklmn").statusCode()).isIn(400, 401);
            Thread.sleep(300);

            ok(api.post("/tenants/ALPHA/clients", "{ \"client_id\": \"reports\", \"name\": \"Reports\", \"platform\": \"web\", "
                    + "\"scopes\": [ \"app.read\" ] }"), 201);
            String secret = ok(api.post("/tenants/ALPHA/clients/reports/secrets", "{}"), 201).path("value").asText();
            awaitStatus(b, "reports", secret, 200);

            String etag = api.get("/tenants/ALPHA/clients/reports").headers().firstValue("ETag").orElseThrow();
            ok(api.patch("/tenants/ALPHA/clients/reports", "{ \"enabled\": false }", etag), 200);
            awaitStatus(b, "reports", secret, 400);
        }
    }

    private static HttpResponse<String> token(TestServer server, String clientId, String secret) {
        return server.postForm("/system/auth/ALPHA-U/oauth2/token", form("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret, "scope", "app.read"));
    }

    private static void awaitStatus(TestServer server, String clientId, String secret, int status) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            HttpResponse<String> response = token(server, clientId, secret);
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (response.statusCode() == status) {
                return;
            }
            if (elapsed >= WITHIN_MILLIS) {
                fail("the other instance still answered %d after %d ms: %.120s", response.statusCode(), elapsed, response.body());
            }
            Thread.sleep(50);
        }
    }
}
