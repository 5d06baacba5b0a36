package dev.portcullis.signin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.admin.AdminService;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Refresh tokens: rotation with reuse detection for spa clients, narrowing only, lifetimes, disabled accounts. */
class RefreshTokenTest {

    private TestServer server;

    private TokenClient start(StoreKind store) {
        server = TestServer.start(store, SignInTenants.YAML);
        return new TokenClient(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String refreshTokenOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TokenClient.json(response).get("refresh_token").asText();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void spaRefreshTokensRotateAndReuseRevokesTheWholeFamily(StoreKind store) {
        TokenClient client = start(store);
        String first = refreshTokenOf(client.redeemSpa(client.spaCode()));
        String second = refreshTokenOf(client.refreshSpa(first, null));
        assertThat(second).isNotEqualTo(first);
        String third = refreshTokenOf(client.refreshSpa(second, null));

        HttpResponse<String> replay = client.refreshSpa(first, null);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(replay).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(TokenClient.json(replay).get("error_description").asText()).contains("already used");

        HttpResponse<String> afterRevocation = client.refreshSpa(third, null);
        assertThat(afterRevocation.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(afterRevocation).get("error_description").asText()).contains("revoked");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void scopeCanBeNarrowedButNeverWidened(StoreKind store) {
        TokenClient client = start(store);
        String refresh = refreshTokenOf(client.redeemSpa(client.spaCode()));
        HttpResponse<String> narrowed = client.refreshSpa(refresh, "core.aiservices.read");
        JsonNode body = TokenClient.json(narrowed);
        assertThat(body.get("scope").asText()).isEqualTo("core.aiservices.read");

        HttpResponse<String> widened = client.refreshSpa(body.get("refresh_token").asText(),
                "core.aiservices.read knowledge.portalmgr.onbehalfof.read");
        assertThat(widened.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(widened).get("error").asText()).isEqualTo("invalid_scope");
        assertThat(TokenClient.json(widened).get("error_description").asText()).contains("knowledge.portalmgr.onbehalfof.read");

        HttpResponse<String> backToFull = client.refreshSpa(body.get("refresh_token").asText(), null);
        assertThat(TokenClient.json(backToFull).get("scope").asText())
                .as("the sign-in's grant is unchanged by a narrowed refresh").isEqualTo("core.aiservices.read core.aiservices.write");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void idleAndAbsoluteLifetimesEndARefreshToken(StoreKind store) {
        TokenClient client = start(store);
        long now = Instant.now().getEpochSecond();
        String idle = refreshTokenOf(client.redeemSpa(client.spaCode()));
        server.database().sql().update("UPDATE refresh_tokens SET last_used_at = ? WHERE consumed_at IS NULL", now - 3601);
        assertExpired(client.refreshSpa(idle, null));

        String absolute = refreshTokenOf(client.redeemSpa(client.spaCode()));
        server.database().sql().update("UPDATE refresh_families SET absolute_expires_at = ?", now - 1);
        assertExpired(client.refreshSpa(absolute, null));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDisabledUserOrClientCanNoLongerRefresh(StoreKind store) {
        TokenClient client = start(store);
        String forUser = refreshTokenOf(client.redeemSpa(client.spaCode()));
        String forClient = refreshTokenOf(client.redeemSpa(client.spaCode()));
        AdminService admin = new AdminService(server.database().sql(), TestServer.secretHasher(), Clock.systemUTC());

        admin.subjectAdmin().setSubjectEnabled(SignInTenants.TENANT, RealmType.USER, "1001", false);
        HttpResponse<String> userRefused = eventually(() -> client.refreshSpa(forUser, null), 400);
        assertThat(TokenClient.json(userRefused).get("error").asText()).isEqualTo("invalid_grant");

        admin.subjectAdmin().setSubjectEnabled(SignInTenants.TENANT, RealmType.USER, "1001", true);
        admin.setClientEnabled(SignInTenants.TENANT, SignInTenants.SPA, false);
        HttpResponse<String> clientRefused = eventually(() -> client.refreshSpa(forClient, null), 400, "invalid_client");
        assertThat(TokenClient.json(clientRefused).get("error").asText()).isEqualTo("invalid_client");
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "SQLITE")
    void webClientRefreshTokensAreNotRotatedAndNeedTheSecret(StoreKind store) {
        TokenClient client = start(store);
        Map<String, String> redeem = new LinkedHashMap<>();
        redeem.put("grant_type", "authorization_code");
        redeem.put("code", client.webCode());
        redeem.put("redirect_uri", "https://app.example.com/callback");
        redeem.put("client_id", SignInTenants.WEB);
        redeem.put("client_secret", SignInTenants.WEB_SECRET);
        String refresh = refreshTokenOf(client.post(redeem));

        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refresh);
        form.put("client_id", SignInTenants.WEB);
        assertThat(client.post(form).statusCode()).as("no secret").isEqualTo(400);
        form.put("client_secret", SignInTenants.WEB_SECRET);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = client.post(form);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(TokenClient.json(response).has("refresh_token")).isFalse();
        }

        HttpResponse<String> stolenBySpa = client.refreshSpa(refresh, null);
        assertThat(stolenBySpa.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(stolenBySpa).get("error_description").asText()).contains("another client");
    }

    private static void assertExpired(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(response).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(TokenClient.json(response).get("error_description").asText()).contains("expired");
    }

    /** Configuration changes reach the caches within the refresh interval (1 s in tests). */
    private static HttpResponse<String> eventually(Supplier<HttpResponse<String>> request, int expectedStatus) {
        return eventually(request, expectedStatus, "");
    }

    /** Polls until the status (and, when given, the body's {@code error}) is the expected one, or 5 s pass. */
    private static HttpResponse<String> eventually(Supplier<HttpResponse<String>> request, int expectedStatus, String expectedError) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        HttpResponse<String> response = request.get();
        while ((response.statusCode() != expectedStatus || !response.body().contains("\"error\":\"" + expectedError))
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            response = request.get();
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return response;
    }
}
