package dev.portcullis.web;

import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.portcullis.signin.SignInFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS: the token endpoint admits exactly the origins of the tenant's spa redirect URIs; metadata
 * and JWKS are public to every origin.
 */
class CorsTest {

    private static final String PSTMN = "https://oauth.pstmn.io";
    private static final String LOCAL = "http://127.0.0.1:5173";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(StoreKind.SQLITE, YAML);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> preflight(String realm, String origin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + realm + "/oauth2/token"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type");
        if (origin != null) {
            request.header("Origin", origin);
        }
        return server.send(request.build());
    }

    @ParameterizedTest
    @ValueSource(strings = {PSTMN, LOCAL})
    void aPreflightFromAnSpaRedirectOriginIsAllowedInBothRealms(String origin) {
        for (String realm : List.of(USERS, CUSTOMERS)) {
            HttpResponse<String> response = preflight(realm, origin);
            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(response.headers().allValues("Access-Control-Allow-Origin")).containsExactly(origin);
            assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(m -> assertThat(m).contains("POST"));
            assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                    .hasValueSatisfying(h -> assertThat(h.toLowerCase()).contains("content-type"));
            assertThat(response.headers().firstValue("Vary")).hasValueSatisfying(v -> assertThat(v).contains("Origin"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://app.example.com",            // a web client's redirect origin
            "https://pkce.example.com",           // a web client with require_pkce
            "https://disabled.example.com",       // a disabled spa client
            "https://other-tenant.example.com",   // another tenant's spa client
            "https://evil.example",
            "null",
            "http://127.0.0.1:5173/",             // an origin never has a path
            "http://127.0.0.1:5174",
            "https://127.0.0.1:5173",
            "http://localhost:5173",
            "http://oauth.pstmn.io",
            "https://oauth.pstmn.io.evil.example",
            "https://evil.oauth.pstmn.io",
            "https://oauth.pstmn.io:8443"})
    void aPreflightFromAnyOtherOriginIsRefused(String origin) {
        for (String realm : List.of(USERS, CUSTOMERS)) {
            HttpResponse<String> response = preflight(realm, origin);
            assertThat(response.statusCode()).as(origin).isEqualTo(403);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as(origin).isEmpty();
            assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
        }
    }

    @Test
    void aPreflightWithoutAnOriginIsRefused() {
        HttpResponse<String> response = preflight(USERS, null);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void theOtherTenantAdmitsOnlyItsOwnSpaOrigins() {
        assertThat(preflight("/system/auth/TOTHER02-U", "https://other-tenant.example.com").statusCode()).isEqualTo(204);
        HttpResponse<String> refused = preflight("/system/auth/TOTHER02-U", PSTMN);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private static HttpResponse<String> exchange(Map<String, String> form, String origin) {
        return server.postForm(USERS + "/oauth2/token", form, origin == null ? Map.of() : Map.of("Origin", origin));
    }

    private static Map<String, String> codeExchange(String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", SPA_REDIRECT);
        form.put("client_id", SPA);
        form.put("code_verifier", VERIFIER);
        return form;
    }

    @Test
    void theTokenResponseCarriesTheAllowedOriginAndNoneForAnother() {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> done = SignInFlow.signIn(browser, authorize(USERS, spa(READ, "cors")), "username", "pa", PA_PASSWORD);
        String code = BrowserClient.redirectParams(done).get("code");

        HttpResponse<String> issued = exchange(codeExchange(code), PSTMN);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        assertThat(issued.body()).contains("\"access_token\"");
        assertThat(issued.headers().allValues("Access-Control-Allow-Origin")).containsExactly(PSTMN);

        HttpResponse<String> replayed = exchange(codeExchange(code), LOCAL);
        assertThat(replayed.statusCode()).as("a used code").isEqualTo(400);
        assertThat(replayed.headers().allValues("Access-Control-Allow-Origin"))
                .as("an error is readable by an allowed origin too").containsExactly(LOCAL);

        HttpResponse<String> web = exchange(codeExchange("not-a-code"), "https://app.example.com");
        assertThat(web.statusCode()).isEqualTo(400);
        assertThat(web.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> evil = exchange(codeExchange("not-a-code"), "https://evil.example");
        assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> none = exchange(codeExchange("not-a-code"), null);
        assertThat(none.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aSuccessfulTokenResponseToAnotherOriginCarriesNoAllowOrigin() {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> done = SignInFlow.signIn(browser, authorize(USERS, spa(WRITE, "cors2")), "username", "pb", PB_PASSWORD);
        HttpResponse<String> issued = exchange(codeExchange(BrowserClient.redirectParams(done).get("code")), "https://app.example.com");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        assertThat(issued.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            USERS + "/.well-known/openid-configuration",
            USERS + "/.well-known/oauth-authorization-server",
            "/.well-known/oauth-authorization-server" + USERS,
            CUSTOMERS + "/.well-known/oauth-authorization-server",
            USERS + "/oauth2/jwks",
            CUSTOMERS + "/oauth2/jwks"})
    void metadataAndJwksAreOpenToEveryOrigin(String path) {
        for (String origin : new String[] {"https://evil.example", PSTMN, null}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET();
            if (origin != null) {
                request.header("Origin", origin);
            }
            HttpResponse<String> response = server.send(request.build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().allValues("Access-Control-Allow-Origin")).as("%s from %s", path, origin).containsExactly("*");
        }
    }
}
