package dev.portcullis.signin;

import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.grant.Pkce;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Native apps (RFC 8252): a public client that always uses PKCE, receiving the code on a loopback
 * listener at whatever port it opened, or at its private-use scheme; refresh tokens rotate; the
 * user is asked to consent every time a redirect cannot prove the app's identity; no secret, no CORS.
 */
class NativeClientTest {

    static final String TENANT = "TNATIVE01";
    static final String USERS = "/system/auth/" + TENANT + "-U";
    static final String NATIVE = "desktop-app";
    static final String LOOPBACK = "http://127.0.0.1/callback";
    static final String SCHEME = "com.example.desktop:/oauth2redirect";
    static final String HTTPS = "https://desktop.example.com/native";
    static final String READ = "core.aiservices.read";
    static final String PASSWORD = "password-of-pa-0001";
    static final String VERIFIER = "native-verifier-0123456789abcdefghijklmnopqrstuvwxyz";

    static final String YAML = """
            tenants:
              - id: TNATIVE01
                name: Native test tenant
                scopes:
                  - { name: core.aiservices.read, kind: delegated, description: Read AI services }
                  - { name: app.read, kind: application }
                users:
                  - { id: "1001", username: pa, password: "%s" }
                clients:
                  - client_id: desktop-app
                    name: Desktop app
                    description: Signs in through the system browser
                    platform: native
                    scopes: [ core.aiservices.read, app.read ]
                    redirect_uris: [ "http://127.0.0.1/callback", "com.example.desktop:/oauth2redirect", "https://desktop.example.com/native" ]
            """.formatted(PASSWORD);

    private static final ServersPerStore SERVERS = new ServersPerStore(YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    /** What a desktop app does: listen on 127.0.0.1 at a port the system picks, and take the one request the browser brings. */
    private static final class LoopbackListener implements AutoCloseable {
        final HttpServer server;
        final CompletableFuture<String> query = new CompletableFuture<>();

        LoopbackListener() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/callback", exchange -> {
                query.complete(exchange.getRequestURI().getRawQuery());
                byte[] page = "Signed in; you can close this window.".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            server.start();
        }

        String redirectUri() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static Map<String, String> authorizeParams(String redirectUri, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", NATIVE);
        params.put("response_type", "code");
        params.put("redirect_uri", redirectUri);
        params.put("scope", READ);
        params.put("state", state);
        params.put("code_challenge", Pkce.s256(VERIFIER));
        params.put("code_challenge_method", "S256");
        return params;
    }

    static String authorizePath(Map<String, String> params) {
        return USERS + "/oauth2/authorize?" + TestServer.encode(params);
    }

    static HttpResponse<String> redeem(TestServer server, String code, String redirectUri) {
        return server.postForm(USERS + "/oauth2/token", form("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirectUri, "client_id", NATIVE, "code_verifier", VERIFIER));
    }

    private static Map<String, String> queryOf(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            params.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aLoopbackRedirectRegisteredWithoutAPortReceivesTheCodeOnARandomPortAndRefreshTokensRotate(StoreKind store)
            throws Exception {
        TestServer server = SERVERS.get(store);
        try (LoopbackListener listener = new LoopbackListener()) {
            String redirectUri = listener.redirectUri();
            assertThat(redirectUri).isNotEqualTo(LOOPBACK).startsWith("http://127.0.0.1:");
            BrowserClient browser = new BrowserClient(server.baseUrl());
            HttpResponse<String> toApp = SignInFlow.signIn(browser, authorizePath(authorizeParams(redirectUri, "s-loop")),
                    "username", "pa", PASSWORD);
            assertThat(BrowserClient.location(toApp)).startsWith(redirectUri + "?code=");

            // the browser follows the redirect to the app's own listener, which reads the code from it
            HttpResponse<String> landed = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(BrowserClient.location(toApp))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(landed.statusCode()).isEqualTo(200);
            Map<String, String> received = queryOf(listener.query.get(5, TimeUnit.SECONDS));
            assertThat(received.get("state")).isEqualTo("s-loop");
            assertThat(received.get("iss")).isEqualTo(server.baseUrl() + USERS);

            HttpResponse<String> tokens = redeem(server, received.get("code"), redirectUri);
            SignedJWT accessToken = assertToken(tokens);
            assertThat(accessToken.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(NATIVE);
            assertThat(accessToken.getJWTClaimsSet().getSubject()).isEqualTo("1001");
            assertThat(accessToken.getJWTClaimsSet().getStringClaim("actor_type")).isEqualTo("user");
            String first = json(tokens).get("refresh_token").asText();

            HttpResponse<String> refreshed = refresh(server, first);
            assertToken(refreshed);
            String second = json(refreshed).get("refresh_token").asText();
            assertThat(second).as("a native client's refresh token rotates").isNotEqualTo(first);
            assertError(refresh(server, first), 400, "invalid_grant", "already used");
            assertError(refresh(server, second), 400, "invalid_grant", "revoked");
        }
    }

    private static HttpResponse<String> refresh(TestServer server, String refreshToken) {
        return server.postForm(USERS + "/oauth2/token", form("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", NATIVE));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPrivateUseSchemeRedirectReceivesTheCode(StoreKind store) {
        TestServer server = SERVERS.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> toApp = SignInFlow.signIn(browser, authorizePath(authorizeParams(SCHEME, "s-scheme")),
                "username", "pa", PASSWORD);
        assertThat(BrowserClient.location(toApp)).startsWith(SCHEME + "?code=");
        Map<String, String> params = BrowserClient.redirectParams(toApp);
        assertThat(params.get("state")).isEqualTo("s-scheme");
        assertToken(redeem(server, params.get("code"), SCHEME));
    }

    @Test
    void theCodeIsRedeemedOnlyWithTheExactRedirectUriItWasSentTo() {
        TestServer server = SERVERS.get(StoreKind.SQLITE);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String used = "http://127.0.0.1:40111/callback";
        HttpResponse<String> toApp = SignInFlow.signIn(browser, authorizePath(authorizeParams(used, "s")), "username", "pa", PASSWORD);
        String code = BrowserClient.redirectParams(toApp).get("code");
        assertError(redeem(server, code, "http://127.0.0.1:40112/callback"), 400, "invalid_grant", "redirect_uri");
    }

    @Test
    void consentIsAskedEveryTimeForALoopbackOrSchemeRedirectButRememberedForHttps() {
        TestServer server = SERVERS.get(StoreKind.SQLITE);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        SignInFlow.signIn(browser, authorizePath(authorizeParams(HTTPS, "first")), "username", "pa", PASSWORD);

        HttpResponse<String> again = browser.follow(browser.get(authorizePath(authorizeParams(HTTPS, "second"))));
        assertThat(again.statusCode()).as("a remembered consent for a claimed https redirect is reused").isEqualTo(302);
        assertThat(BrowserClient.location(again)).startsWith(HTTPS + "?code=");

        for (String redirect : new String[] {"http://127.0.0.1:40200/callback", SCHEME}) {
            HttpResponse<String> page = browser.follow(browser.get(authorizePath(authorizeParams(redirect, "again"))));
            assertThat(SignInFixtures.isConsentPage(page)).as("asked again for %s (RFC 8252 8.6):\n%s", redirect, page.body()).isTrue();
            HttpResponse<String> allowed = browser.submit(page, Map.of("decision", "allow"));
            assertThat(allowed.statusCode()).as("Allow goes straight to the app, not back to another consent page").isEqualTo(302);
            assertThat(BrowserClient.location(allowed)).startsWith(redirect + "?code=");
        }
        HttpResponse<String> silent = browser.follow(browser.get(authorizePath(authorizeParams(SCHEME, "none")) + "&prompt=none"));
        assertThat(BrowserClient.redirectParams(silent).get("error")).isEqualTo("consent_required");
    }

    @Test
    void aNativeClientMustUsePkce() {
        TestServer server = SERVERS.get(StoreKind.SQLITE);
        Map<String, String> params = authorizeParams(SCHEME, "s");
        params.remove("code_challenge");
        params.remove("code_challenge_method");
        HttpResponse<String> response = new BrowserClient(server.baseUrl()).get(authorizePath(params));
        assertThat(response.statusCode()).isEqualTo(302);
        Map<String, String> error = BrowserClient.redirectParams(response);
        assertThat(error.get("error")).isEqualTo("invalid_request");
        assertThat(error.get("error_description")).contains("code_challenge is required");

        params.put("code_challenge", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        params.put("code_challenge_method", "plain");
        assertThat(BrowserClient.redirectParams(new BrowserClient(server.baseUrl()).get(authorizePath(params))).get("error_description"))
                .contains("S256");
    }

    @Test
    void redirectsThatAreNotRegisteredGetAnErrorPageNotARedirect() {
        TestServer server = SERVERS.get(StoreKind.SQLITE);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        for (String redirect : new String[] {"http://127.0.0.1:40300/other", "http://127.0.0.1:40300/callback?x=1",
                "http://localhost:40300/callback", "http://[::1]:40300/callback", "https://127.0.0.1:40300/callback",
                "com.example.desktop:/elsewhere", "com.evil.app:/oauth2redirect"}) {
            HttpResponse<String> response = browser.get(authorizePath(authorizeParams(redirect, "s")));
            SignInFixtures.assertHtmlPage(response, 400);
            assertThat(response.body()).as(redirect).contains("is not registered");
        }
    }

    @Test
    void aNativeClientHasNoSecretAndNoGrantWithoutASignIn() {
        TestServer server = SERVERS.get(StoreKind.SQLITE);
        assertError(server.postForm(USERS + "/oauth2/token", form("grant_type", "client_credentials", "client_id", NATIVE,
                "client_secret", "a-secret-it-does-not-have-0123456789", "scope", "app.read")), 400, "invalid_client",
                "native (public)", "do not send client_secret");
        assertError(server.postForm(USERS + "/oauth2/token", form("grant_type", "client_credentials", "client_id", NATIVE,
                "scope", "app.read")), 400, "unauthorized_client", "native (public)");
    }

    @Test
    void aNativeClientsLoopbackRedirectIsNoCorsOrigin() {
        TestServer server = SERVERS.get(StoreKind.SQLITE);
        HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + USERS + "/oauth2/token"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://127.0.0.1")
                .header("Access-Control-Request-Method", "POST").build());
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> https = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + USERS + "/oauth2/token"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://desktop.example.com")
                .header("Access-Control-Request-Method", "POST").build());
        assertThat(https.statusCode()).isEqualTo(403);
    }
}
