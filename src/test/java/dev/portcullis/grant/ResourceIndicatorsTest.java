package dev.portcullis.grant;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resource indicators (RFC 8707): a token asked for one of the tenant's resources has that resource as its only
 * audience; without one, the api_url. A sign-in's tokens can only be for a resource its authorization request named,
 * and anything else is invalid_target, before a code or refresh token is spent.
 */
class ResourceIndicatorsTest {

    private static final String MCP = "https://mcp.example.com/mcp";
    private static final String OTHER = "http://127.0.0.1:3999/other";
    private static final String API_URL = "https://api.example.test";
    private static final String TOKEN = "/system/auth/TRES-U/oauth2/token";
    private static final String SECRET = "worker-secret-0123456789abcdefghijklmn";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final String REDIRECT = "http://127.0.0.1:4000/callback";
    private static final String YAML = """
            tenants:
              - id: TRES
                name: Resources
                resources: [ "https://mcp.example.com/mcp", "http://127.0.0.1:3999/other" ]
                scopes:
                  - { name: mcp.tools, kind: delegated }
                  - { name: openid, kind: delegated }
                  - { name: app.read, kind: application }
                  - { name: obo.read, kind: on-behalf-of }
                users:
                  - { id: "u1", username: una, password: "una-password-123" }
                clients:
                  - client_id: worker
                    name: Worker
                    platform: web
                    secrets: [ "worker-secret-0123456789abcdefghijklmn" ]
                    scopes: [ app.read, obo.read ]
                  - client_id: agent
                    name: Agent
                    platform: native
                    scopes: [ mcp.tools, openid ]
                    redirect_uris: [ "http://127.0.0.1:4000/callback" ]
            """;
    private static final ServersPerStore SERVERS = new ServersPerStore(YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> post(TestServer server, String body) {
        return server.postRaw(TOKEN, "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.UTF_8));
    }

    private static JWTClaimsSet claims(HttpResponse<String> response) throws Exception {
        return assertToken(response).getJWTClaimsSet();
    }

    private static String clientCredentials(String... resources) {
        StringBuilder body = new StringBuilder("grant_type=client_credentials&client_id=worker&client_secret=" + SECRET
                + "&scope=app.read");
        for (String resource : resources) {
            body.append("&resource=").append(encode(resource));
        }
        return body.toString();
    }

    /** Signs in through the pages and returns the code; {@code resources} are the authorization request's. */
    private static Map<String, String> authorize(TestServer server, String scope, String... resources) {
        StringBuilder path = new StringBuilder("/system/auth/TRES-U/oauth2/authorize?client_id=agent&response_type=code"
                + "&redirect_uri=" + encode(REDIRECT) + "&scope=" + encode(scope) + "&state=s1&code_challenge=" + CHALLENGE
                + "&code_challenge_method=S256");
        for (String resource : resources) {
            path.append("&resource=").append(encode(resource));
        }
        return BrowserClient.redirectParams(SignInFlow.signIn(new BrowserClient(server.baseUrl()), path.toString(), "username", "una",
                "una-password-123"));
    }

    private static String redeem(String code, String... resources) {
        StringBuilder body = new StringBuilder("grant_type=authorization_code&client_id=agent&code=" + code + "&redirect_uri="
                + encode(REDIRECT) + "&code_verifier=" + VERIFIER);
        for (String resource : resources) {
            body.append("&resource=").append(encode(resource));
        }
        return body.toString();
    }

    private static String refresh(String refreshToken, String resource) {
        return "grant_type=refresh_token&client_id=agent&refresh_token=" + refreshToken
                + (resource == null ? "" : "&resource=" + encode(resource));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTokenForARegisteredResourceHasItAsItsOnlyAudienceAndOtherwiseTheApiUrl(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        assertThat(claims(post(server, clientCredentials(MCP))).getAudience()).containsExactly(MCP);
        assertThat(claims(post(server, clientCredentials(OTHER))).getAudience()).containsExactly(OTHER);
        assertThat(claims(post(server, clientCredentials())).getAudience()).containsExactly(API_URL);
        assertThat(claims(post(server, clientCredentials(API_URL))).getAudience()).containsExactly(API_URL);
        JWTClaimsSet onBehalf = claims(post(server, "grant_type=password&client_id=worker&client_secret=" + SECRET
                + "&scope=obo.read&subject_username=una&resource=" + encode(MCP)));
        assertThat(onBehalf.getAudience()).containsExactly(MCP);
        assertThat(onBehalf.getSubject()).isEqualTo("u1");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aResourceMustEqualARegisteredOneExactlyAndATokenRequestNamesOne(StoreKind store) {
        TestServer server = SERVERS.get(store);
        assertError(post(server, clientCredentials("https://mcp.example.com/mcp/")), 400, "invalid_target", "not registered");
        assertError(post(server, clientCredentials("https://MCP.example.com/mcp")), 400, "invalid_target", "not registered");
        assertError(post(server, clientCredentials("https://evil.example/mcp")), 400, "invalid_target", "not registered in tenant TRES");
        assertError(post(server, clientCredentials(MCP, OTHER)), 400, "invalid_target", "names one resource");
        assertError(post(server, "grant_type=password&client_id=worker&client_secret=" + SECRET
                + "&scope=obo.read&subject_username=una&resource=" + encode("https://evil.example/")), 400, "invalid_target");
        String eleven = clientCredentials(MCP, MCP, MCP, MCP, MCP, MCP, MCP, MCP, MCP, MCP, MCP);
        assertError(post(server, eleven), 400, "invalid_request", "more than 10 resources");
        // a resource is an RFC 8707 parameter: other parameters still may not repeat
        assertError(post(server, clientCredentials() + "&scope=app.read"), 400, "invalid_request", "'scope' is repeated");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSignInsTokensAreForTheResourceItsAuthorizationNamedAndAWrongOneSpendsNothing(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        String code = authorize(server, "mcp.tools", MCP).get("code");
        assertError(post(server, redeem(code, OTHER)), 400, "invalid_target", "was not named in the authorization request");
        assertError(post(server, redeem(code, API_URL)), 400, "invalid_target", "was not named in the authorization request");
        HttpResponse<String> redeemed = post(server, redeem(code));
        assertThat(claims(redeemed).getAudience()).as("the code was not spent by the refusals").containsExactly(MCP);
        String refreshToken = json(redeemed).get("refresh_token").asText();

        assertError(post(server, refresh(refreshToken, OTHER)), 400, "invalid_target");
        HttpResponse<String> refreshed = post(server, refresh(refreshToken, MCP));
        assertThat(claims(refreshed).getAudience()).as("the refusal did not rotate the token away").containsExactly(MCP);
        assertThat(claims(post(server, refresh(json(refreshed).get("refresh_token").asText(), null))).getAudience())
                .containsExactly(MCP);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAuthorizationForSeveralResourcesGivesTokensForOneAtATimeAndRefreshesNarrowToAnyOfThem(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        String code = authorize(server, "mcp.tools", MCP, OTHER, MCP).get("code");
        assertError(post(server, redeem(code)), 400, "invalid_target", "the authorization was for 2 resources");
        assertError(post(server, redeem(code, MCP, OTHER)), 400, "invalid_target", "names one resource");
        HttpResponse<String> redeemed = post(server, redeem(code, OTHER));
        assertThat(claims(redeemed).getAudience()).containsExactly(OTHER);
        String refreshed = json(redeemed).get("refresh_token").asText();
        HttpResponse<String> forMcp = post(server, refresh(refreshed, MCP));
        assertThat(claims(forMcp).getAudience()).containsExactly(MCP);
        assertError(post(server, refresh(json(forMcp).get("refresh_token").asText(), null)), 400, "invalid_target",
                "name the one this token is for");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPushedAuthorizationRequestKeepsEveryResourceItNamed(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        HttpResponse<String> pushed = server.postRaw("/system/auth/TRES-U/oauth2/par", "application/x-www-form-urlencoded",
                ("client_id=agent&response_type=code&redirect_uri=" + encode(REDIRECT) + "&scope=mcp.tools&code_challenge="
                        + CHALLENGE + "&code_challenge_method=S256&resource=" + encode(MCP) + "&resource=" + encode(OTHER))
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(201);
        String requestUri = json(pushed).get("request_uri").asText();
        String code = BrowserClient.redirectParams(SignInFlow.signIn(new BrowserClient(server.baseUrl()),
                "/system/auth/TRES-U/oauth2/authorize?client_id=agent&request_uri=" + encode(requestUri), "username", "una",
                "una-password-123")).get("code");
        HttpResponse<String> redeemed = post(server, redeem(code, OTHER));
        assertThat(claims(redeemed).getAudience()).containsExactly(OTHER);
        assertThat(claims(post(server, refresh(json(redeemed).get("refresh_token").asText(), MCP))).getAudience())
                .containsExactly(MCP);
        assertError(server.postRaw("/system/auth/TRES-U/oauth2/par", "application/x-www-form-urlencoded",
                ("client_id=agent&response_type=code&redirect_uri=" + encode(REDIRECT) + "&scope=mcp.tools&code_challenge="
                        + CHALLENGE + "&code_challenge_method=S256&resource=" + encode("https://evil.example/"))
                        .getBytes(StandardCharsets.UTF_8)), 400, "invalid_target", "not registered");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSignInWithoutResourcesGivesApiUrlTokensOnly(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        HttpResponse<String> redeemed = post(server, redeem(authorize(server, "mcp.tools").get("code")));
        assertThat(claims(redeemed).getAudience()).containsExactly(API_URL);
        assertError(post(server, refresh(json(redeemed).get("refresh_token").asText(), MCP)), 400, "invalid_target");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUnregisteredResourceOnTheAuthorizeRequestIsReturnedToTheClientAsInvalidTarget(StoreKind store) {
        TestServer server = SERVERS.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> response = browser.get("/system/auth/TRES-U/oauth2/authorize?client_id=agent&response_type=code"
                + "&redirect_uri=" + encode(REDIRECT) + "&scope=mcp.tools&state=s9&code_challenge=" + CHALLENGE
                + "&code_challenge_method=S256&resource=" + encode(MCP) + "&resource=" + encode("https://evil.example/mcp"));
        assertThat(response.statusCode()).isEqualTo(302);
        Map<String, String> params = BrowserClient.redirectParams(response);
        assertThat(params).containsEntry("error", "invalid_target").containsEntry("state", "s9");
        assertThat(params.get("error_description")).contains("https://evil.example/mcp", "not registered");
        assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTokenBoundToAResourceIsIntrospectedWithItsAudienceAndRefusedByUserinfo(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        HttpResponse<String> bound = post(server, redeem(authorize(server, "mcp.tools openid", MCP).get("code")));
        String accessToken = json(bound).get("access_token").asText();
        HttpResponse<String> introspected = server.postForm("/system/auth/TRES-U/oauth2/introspect",
                form("token", accessToken, "client_id", "worker", "client_secret", SECRET));
        assertThat(json(introspected).get("active").asBoolean()).isTrue();
        assertThat(json(introspected).get("aud").toString()).contains(MCP).doesNotContain(API_URL);

        HttpResponse<String> userinfo = server.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/system/auth/TRES-U/oauth2/userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET().build());
        assertThat(userinfo.statusCode()).isEqualTo(401);
        assertThat(userinfo.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token", "another resource");

        String unbound = json(post(server, redeem(authorize(server, "mcp.tools openid").get("code")))).get("access_token").asText();
        HttpResponse<String> served = server.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/system/auth/TRES-U/oauth2/userinfo"))
                .header("Authorization", "Bearer " + unbound).GET().build());
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    }
}
