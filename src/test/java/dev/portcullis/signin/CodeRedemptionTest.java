package dev.portcullis.signin;

import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Authorization codes: bound, short-lived, redeemed exactly once (also under concurrency), on both stores. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodeRedemptionTest {

    private final Map<StoreKind, TestServer> servers = new EnumMap<>(StoreKind.class);

    private TestServer server(StoreKind store) {
        return servers.computeIfAbsent(store, s -> TestServer.start(s, SignInTenants.YAML));
    }

    @AfterAll
    void stop() {
        servers.values().forEach(TestServer::close);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSecondRedemptionFailsAndRevokesTheRefreshTokenOfTheFirst(StoreKind store) {
        TokenClient client = new TokenClient(server(store));
        String code = client.spaCode();
        HttpResponse<String> first = client.redeemSpa(code);
        assertThat(first.statusCode()).isEqualTo(200);
        String refresh = TokenClient.json(first).get("refresh_token").asText();

        HttpResponse<String> second = client.redeemSpa(code);
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(second).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(TokenClient.json(second).get("error_description").asText()).contains("already used");

        HttpResponse<String> refreshed = client.refreshSpa(refresh, null);
        assertThat(refreshed.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(refreshed).get("error_description").asText()).contains("revoked");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSecondRedemptionAlsoDeniesTheAccessTokenOfTheFirst(StoreKind store) {
        TestServer server = server(store);
        TokenClient client = new TokenClient(server);
        String code = client.spaCode();
        HttpResponse<String> first = client.redeemSpa(code);
        assertThat(first.statusCode()).isEqualTo(200);
        String accessToken = TokenClient.json(first).get("access_token").asText();
        assertThat(introspect(server, accessToken).get("active").asBoolean()).isTrue();

        assertThat(client.redeemSpa(code).statusCode()).isEqualTo(400);

        assertThat(introspect(server, accessToken).get("active").asBoolean()).isFalse();
    }

    private static com.fasterxml.jackson.databind.JsonNode introspect(TestServer server, String token) {
        HttpResponse<String> response = server.postForm("/system/auth/TMPRODB88619984-U/oauth2/introspect",
                Map.of("token", token, "client_id", SignInTenants.WEB, "client_secret", SignInTenants.WEB_SECRET));
        assertThat(response.statusCode()).isEqualTo(200);
        return TokenClient.json(response);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void ofTwoConcurrentRedemptionsExactlyOneWins(StoreKind store) throws Exception {
        TokenClient client = new TokenClient(server(store));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                String code = client.spaCode();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> attempts = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    attempts.add(pool.submit(() -> {
                        start.await();
                        return client.redeemSpa(code);
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<HttpResponse<String>> attempt : attempts) {
                    HttpResponse<String> response = attempt.get();
                    statuses.add(response.statusCode());
                    if (response.statusCode() != 200) {
                        assertThat(TokenClient.json(response).get("error").asText()).isEqualTo("invalid_grant");
                    }
                }
                assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(200, 400);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aWrongVerifierIsRefusedWithoutBurningTheCode(StoreKind store) {
        TokenClient client = new TokenClient(server(store));
        String code = client.spaCode();
        Map<String, String> form = redeemForm(code);
        form.put("code_verifier", "x".repeat(43));
        HttpResponse<String> wrong = client.post(form);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(wrong).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(TokenClient.json(wrong).get("error_description").asText()).contains("code_verifier");

        assertThat(client.redeemSpa(code).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExpiredCodeIsRefused(StoreKind store) {
        TestServer server = server(store);
        TokenClient client = new TokenClient(server);
        String code = client.spaCode();
        server.database().sql().update("UPDATE authorization_codes SET expires_at = ? WHERE consumed_at IS NULL",
                java.time.Instant.now().getEpochSecond() - 1);
        HttpResponse<String> response = client.redeemSpa(code);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(response).get("error_description").asText()).contains("expired");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void codesAreStoredOnlyAsHashes(StoreKind store) {
        TestServer server = server(store);
        String code = new TokenClient(server).spaCode();
        List<String> stored = server.database().sql().query("SELECT code_hash FROM authorization_codes", row -> row.getString(1));
        assertThat(stored).isNotEmpty().doesNotContain(code);
        assertThat(stored).contains(dev.portcullis.client.SecretHasher.storedHash(code));
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "SQLITE")
    void theCodeIsBoundToItsRedirectUriClientAndRealm(StoreKind store) {
        TestServer server = server(store);
        TokenClient client = new TokenClient(server);
        String code = client.spaCode();

        Map<String, String> otherRedirect = redeemForm(code);
        otherRedirect.put("redirect_uri", "https://oauth.pstmn.io/v1/callback/");
        assertError(client.post(otherRedirect), 400, "invalid_grant", "redirect_uri");

        Map<String, String> otherClient = redeemForm(code);
        otherClient.put("client_id", SignInTenants.WEB);
        otherClient.put("client_secret", SignInTenants.WEB_SECRET);
        assertError(client.post(otherClient), 400, "invalid_grant", "another client");

        HttpResponse<String> otherRealm = server.postForm("/system/auth/TMPRODB88619984-C/oauth2/token", redeemForm(code));
        assertError(otherRealm, 400, "invalid_grant", "invalid");

        Map<String, String> noVerifier = redeemForm(code);
        noVerifier.remove("code_verifier");
        assertError(client.post(noVerifier), 400, "invalid_request", "code_verifier");

        assertThat(client.redeemSpa(code).statusCode()).as("none of the refusals consumed the code").isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "SQLITE")
    void aPublicClientMayNotSendASecretAndAWebClientMustSendOne(StoreKind store) {
        TokenClient client = new TokenClient(server(store));
        Map<String, String> spaWithSecret = redeemForm(client.spaCode());
        spaWithSecret.put("client_secret", "anything-at-all-0123456789abcdefghijkl");
        assertError(client.post(spaWithSecret), 400, "invalid_client", "public");

        String webCode = client.webCode();
        Map<String, String> web = new LinkedHashMap<>();
        web.put("grant_type", "authorization_code");
        web.put("code", webCode);
        web.put("redirect_uri", "https://app.example.com/callback");
        web.put("client_id", SignInTenants.WEB);
        assertError(client.post(web), 400, "invalid_client", "client_secret is required");
        web.put("client_secret", SignInTenants.WEB_SECRET);
        HttpResponse<String> ok = client.post(web);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(TokenClient.json(ok).get("refresh_token").asText()).isNotBlank();
    }

    private static Map<String, String> redeemForm(String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", SignInTenants.SEED_REDIRECT);
        form.put("client_id", SignInTenants.SPA);
        form.put("code_verifier", SignInTenants.VERIFIER);
        return form;
    }

    private static void assertError(HttpResponse<String> response, int status, String error, String descriptionPart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(TokenClient.json(response).get("error").asText()).isEqualTo(error);
        assertThat(TokenClient.json(response).get("error_description").asText()).contains(descriptionPart);
    }
}
