package dev.portcullis.par;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.grant.Pkce;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pushed authorization requests (RFC 9126) on both stores: the client pushes and authenticates, the browser brings
 * only client_id and the one-time request_uri, and the real login and consent pages finish with the pushed parameters.
 */
class PushedAuthorizationRequestTest {

    static final String REALM = "/system/auth/PARTEN-U";
    static final String REQUIRED_REALM = "/system/auth/PARREQ-U";
    static final String WEB = "par-web";
    static final String WEB_SECRET = "par-web-secret-0123456789abcdefghijkl";
    static final String WEB_REDIRECT = "https://web.example.com/callback";
    static final String SPA = "par-spa";
    static final String SPA_REDIRECT = "https://spa.example.com/callback";
    static final String STRICT = "par-strict";
    static final String STRICT_REDIRECT = "https://strict.example.com/callback";
    static final String PASSWORD = "password-of-pat-0001";
    static final String VERIFIER = "pushed-request-verifier-0123456789abcdefghijklmnopqr";
    static final String CHALLENGE = Pkce.s256(VERIFIER);
    static final String URN = "urn:ietf:params:oauth:request_uri:";

    static final String YAML = """
            tenants:
              - id: PARTEN
                name: Pushing tenant
                scopes:
                  - { name: notes.read, kind: delegated, description: Read notes }
                  - { name: notes.write, kind: delegated, description: Write notes }
                  - { name: app.read, kind: application }
                users:
                  - { id: "u-1", username: pat, password: "%1$s" }
                clients:
                  - { client_id: par-web, name: Web, platform: web, secrets: [ "%2$s" ], scopes: [ notes.read, app.read ],
                      redirect_uris: [ "https://web.example.com/callback" ] }
                  - { client_id: par-spa, name: SPA, platform: spa, scopes: [ notes.read, notes.write ],
                      redirect_uris: [ "https://spa.example.com/callback" ] }
                  - { client_id: par-strict, name: Strict, platform: spa, require_par: true, scopes: [ notes.read ],
                      redirect_uris: [ "https://strict.example.com/callback" ] }
              - id: PARREQ
                name: Tenant requiring PAR
                require_par: true
                scopes:
                  - { name: notes.read, kind: delegated }
                users:
                  - { id: "u-2", username: pat, password: "%1$s" }
                clients:
                  - { client_id: par-spa, name: SPA, platform: spa, scopes: [ notes.read ],
                      redirect_uris: [ "https://spa.example.com/callback" ] }
            """.formatted(PASSWORD, WEB_SECRET);

    private static final ServersPerStore SERVERS = new ServersPerStore(YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    static Map<String, String> spaParameters(String clientId, String redirectUri, String state) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", clientId);
        form.put("response_type", "code");
        form.put("redirect_uri", redirectUri);
        form.put("scope", "notes.read");
        form.put("state", state);
        form.put("code_challenge", CHALLENGE);
        form.put("code_challenge_method", "S256");
        return form;
    }

    static Map<String, String> with(Map<String, String> params, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(params);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return copy;
    }

    static HttpResponse<String> push(TestServer server, String realm, Map<String, String> form) {
        return server.postForm(realm + "/oauth2/par", form);
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** A successful push: 201, no-store, a request_uri URN that expires in 60 seconds. */
    static String requestUri(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = json(response);
        assertThat(body.path("expires_in").asInt()).isEqualTo(60);
        String uri = body.path("request_uri").asText();
        assertThat(uri).startsWith(URN).hasSizeGreaterThan(URN.length() + 40);
        return uri;
    }

    static String authorize(String realm, String clientId, String requestUri) {
        return realm + "/oauth2/authorize?" + TestServer.encode(Map.of("client_id", clientId, "request_uri", requestUri));
    }

    static String redeem(TestServer server, String realm, Map<String, String> form, String authorization) {
        HttpResponse<String> response = server.postForm(realm + "/oauth2/token", form,
                authorization == null ? Map.of() : Map.of("Authorization", authorization));
        OAuthResponses.assertToken(response);
        return json(response).path("scope").asText();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aConfidentialClientPushesWithBasicAndTheSignInFinishesWithThePushedParameters(StoreKind store) {
        TestServer server = SERVERS.get(store);
        Map<String, String> pushed = with(with(spaParameters(WEB, WEB_REDIRECT, "pushed-state"), "client_id", null),
                "nonce", "n-1");
        String requestUri = requestUri(server.postForm(REALM + "/oauth2/par", pushed, Map.of("Authorization", basic(WEB, WEB_SECRET))));
        assertThat(server.database().sql().query("SELECT request_uri_hash FROM pushed_authorization_requests", row -> row.getString(1)))
                .as("stored by hash only").doesNotContain(requestUri).noneMatch(hash -> hash.contains(requestUri.substring(URN.length())));

        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> first = browser.get(authorize(REALM, WEB, requestUri));
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(BrowserClient.location(first)).as("the browser moves to a handle of its own")
                .contains("request_uri=").doesNotContain(requestUri.substring(URN.length()));
        HttpResponse<String> done = SignInFlow.signIn(browser, BrowserClient.location(first), "username", "pat", PASSWORD);
        assertThat(BrowserClient.location(done)).startsWith(WEB_REDIRECT + "?");
        Map<String, String> params = BrowserClient.redirectParams(done);
        assertThat(params).containsEntry("state", "pushed-state").containsKey("code");
        String handle = BrowserClient.redirectParams(first).get("request_uri");
        assertThat(server.database().sql().queryOne("SELECT COUNT(*) FROM pushed_authorization_requests WHERE request_uri_hash = ?",
                row -> row.getInt(1), SecretHasher.storedHash(handle))).as("the code's issue ended the pushed request").contains(0);
        assertThat(redeem(server, REALM, form("grant_type", "authorization_code", "code", params.get("code"), "redirect_uri",
                WEB_REDIRECT, "code_verifier", VERIFIER), basic(WEB, WEB_SECRET))).isEqualTo("notes.read");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPublicClientPushesWithItsClientIdAndOnlyThePushedParametersCount(StoreKind store) {
        TestServer server = SERVERS.get(store);
        String requestUri = requestUri(push(server, REALM, spaParameters(SPA, SPA_REDIRECT, "real-state")));
        BrowserClient browser = new BrowserClient(server.baseUrl());
        // what the URL adds beside client_id and request_uri is not read: the pushed request is the request
        String tampered = authorize(REALM, SPA, requestUri) + "&" + TestServer.encode(Map.of("redirect_uri",
                "https://evil.example/cb", "scope", "notes.write", "state", "forged", "prompt", "none"));
        HttpResponse<String> done = SignInFlow.signIn(browser, tampered, "username", "pat", PASSWORD);
        assertThat(BrowserClient.location(done)).startsWith(SPA_REDIRECT + "?");
        Map<String, String> params = BrowserClient.redirectParams(done);
        assertThat(params).containsEntry("state", "real-state");
        assertThat(redeem(server, REALM, form("grant_type", "authorization_code", "code", params.get("code"), "redirect_uri",
                SPA_REDIRECT, "client_id", SPA, "code_verifier", VERIFIER), null)).isEqualTo("notes.read");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRequestUriWorksOnceForTheClientThatPushedItAndNotAfterItExpires(StoreKind store) {
        TestServer server = SERVERS.get(store);
        String requestUri = requestUri(push(server, REALM, spaParameters(SPA, SPA_REDIRECT, "s")));
        BrowserClient browser = new BrowserClient(server.baseUrl());

        HttpResponse<String> otherClient = browser.get(authorize(REALM, STRICT, requestUri));
        assertPage(otherClient, "another application");
        HttpResponse<String> noClient = browser.get(REALM + "/oauth2/authorize?" + TestServer.encode(Map.of("request_uri", requestUri)));
        assertPage(noClient, "no client_id");

        HttpResponse<String> first = browser.get(authorize(REALM, SPA, requestUri));
        assertThat(first.statusCode()).as("another client's attempt did not spend it").isEqualTo(303);
        String handle = BrowserClient.location(first);
        assertThat(browser.get(handle).body()).as("the browser's own handle reloads").contains(">Sign in</button>");
        assertThat(browser.get(handle).body()).contains(">Sign in</button>");
        assertPage(browser.get(authorize(REALM, SPA, requestUri)), "expired or was already used");
        assertPage(new BrowserClient(server.baseUrl()).get(authorize(REALM, SPA, requestUri)), "expired or was already used");

        HttpResponse<String> done = SignInFlow.signIn(browser, handle, "username", "pat", PASSWORD);
        assertThat(BrowserClient.redirectParams(done)).containsKey("code");
        assertPage(browser.get(handle), "expired or was already used");

        String late = requestUri(push(server, REALM, spaParameters(SPA, SPA_REDIRECT, "late")));
        long now = System.currentTimeMillis() / 1000;
        server.database().sql().update("UPDATE pushed_authorization_requests SET expires_at = ? WHERE claimed_at IS NULL", now - 1);
        assertPage(browser.get(authorize(REALM, SPA, late)), "expired or was already used");
        assertPage(browser.get(authorize(REALM, SPA, URN + "made-up-value")), "expired or was already used");
        assertPage(browser.get(authorize(REALM, SPA, "https://attacker.example/request.jwt")), "not issued by this server");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRequestUriPushedInOneRealmIsNotValidInTheOther(StoreKind store) {
        TestServer server = SERVERS.get(store);
        String requestUri = requestUri(push(server, REALM, spaParameters(SPA, SPA_REDIRECT, "s")));
        assertPage(new BrowserClient(server.baseUrl()).get(authorize("/system/auth/PARTEN-C", SPA, requestUri)),
                "expired or was already used");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPushedPromptLoginAsksOnceEvenWhenTheUserIsSignedIn(StoreKind store) {
        TestServer server = SERVERS.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        SignInFlow.signIn(browser, authorize(REALM, SPA, requestUri(push(server, REALM, spaParameters(SPA, SPA_REDIRECT, "a")))),
                "username", "pat", PASSWORD);
        String withLogin = requestUri(push(server, REALM, with(with(spaParameters(SPA, SPA_REDIRECT, "b"), "prompt", "login consent"),
                "max_age", "0")));
        HttpResponse<String> login = browser.follow(browser.get(authorize(REALM, SPA, withLogin)));
        assertThat(login.body()).as("signed in, yet prompt=login asks").contains(">Sign in</button>");
        HttpResponse<String> consent = browser.follow(browser.submit(login, Map.of("username", "pat", "password", PASSWORD)));
        assertThat(consent.body()).as("prompt=consent asks, though consent was given before").contains(">Allow</button>");
        HttpResponse<String> done = browser.submit(consent, Map.of("decision", "allow"));
        assertThat(BrowserClient.redirectParams(done)).containsEntry("state", "b").containsKey("code");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void pushingARequestUriOrARequestObjectIsRefused(StoreKind store) {
        TestServer server = SERVERS.get(store);
        String requestUri = requestUri(push(server, REALM, spaParameters(SPA, SPA_REDIRECT, "s")));
        assertError(push(server, REALM, with(spaParameters(SPA, SPA_REDIRECT, "s"), "request_uri", requestUri)), 400,
                "invalid_request", "request_uri cannot be pushed");
        assertError(push(server, REALM, with(spaParameters(SPA, SPA_REDIRECT, "s"), "request", "eyJhbGciOiJub25lIn0.e30.")), 400,
                "invalid_request", "request objects");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void invalidParametersAreRefusedAsJsonNotRedirectedAndNothingIsStored(StoreKind store) {
        TestServer server = SERVERS.get(store);
        int before = rows(server);
        Map<String, String> spa = spaParameters(SPA, SPA_REDIRECT, "s");
        assertError(push(server, REALM, with(spa, "redirect_uri", "https://evil.example/cb")), 400, "invalid_request", "redirect_uri");
        assertError(push(server, REALM, with(spa, "redirect_uri", null)), 400, "invalid_request", "no redirect_uri");
        assertError(push(server, REALM, with(spa, "scope", "app.read")), 400, "invalid_scope");
        assertError(push(server, REALM, with(spa, "scope", "notes.unknown")), 400, "invalid_scope");
        assertError(push(server, REALM, with(spa, "response_type", "token")), 400, "unsupported_response_type");
        assertError(push(server, REALM, with(spa, "code_challenge", null)), 400, "invalid_request", "code_challenge");
        assertError(push(server, REALM, with(spa, "code_challenge_method", "plain")), 400, "invalid_request", "S256");
        assertError(push(server, REALM, with(spa, "max_age", "soon")), 400, "invalid_request", "max_age");
        assertError(push(server, REALM, with(spa, "state", "s".repeat(2049))), 400, "invalid_request", "state");
        assertThat(rows(server)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theClientMustAuthenticateAsAtTheTokenEndpoint(StoreKind store) {
        TestServer server = SERVERS.get(store);
        int before = rows(server);
        Map<String, String> web = spaParameters(WEB, WEB_REDIRECT, "s");
        assertError(push(server, REALM, web), 400, "invalid_client", "client_secret is required");
        HttpResponse<String> wrong = server.postForm(REALM + "/oauth2/par", with(web, "client_id", null),
                Map.of("Authorization", basic(WEB, WEB_SECRET + "x")));
        assertError(wrong, 401, "invalid_client");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertError(push(server, REALM, with(web, "client_id", "no-such-client")), 400, "invalid_client");
        assertError(push(server, REALM, with(web, "client_id", null)), 400, "invalid_client");
        assertError(server.postForm(REALM + "/oauth2/par", with(web, "client_id", SPA), Map.of("Authorization", basic(WEB, WEB_SECRET))),
                400, "invalid_request", "differs");
        assertThat(rows(server)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPlainRequestIsRefusedWhereTheTenantOrTheClientRequiresPar(StoreKind store) {
        TestServer server = SERVERS.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> tenantRefusal = browser.get(REQUIRED_REALM + "/oauth2/authorize?" + TestServer.encode(
                spaParameters(SPA, SPA_REDIRECT, "t")));
        assertThat(BrowserClient.location(tenantRefusal)).startsWith(SPA_REDIRECT + "?");
        assertThat(BrowserClient.redirectParams(tenantRefusal)).containsEntry("error", "invalid_request").containsEntry("state", "t");
        assertThat(BrowserClient.redirectParams(tenantRefusal).get("error_description")).contains("tenant PARREQ requires pushed");

        HttpResponse<String> clientRefusal = browser.get(REALM + "/oauth2/authorize?" + TestServer.encode(
                spaParameters(STRICT, STRICT_REDIRECT, "c")));
        assertThat(BrowserClient.redirectParams(clientRefusal)).containsEntry("error", "invalid_request");
        assertThat(BrowserClient.redirectParams(clientRefusal).get("error_description")).contains("client 'par-strict' requires pushed");
        assertThat(browser.get(REALM + "/oauth2/authorize?" + TestServer.encode(spaParameters(SPA, SPA_REDIRECT, "free"))).body())
                .as("the tenant's other clients need not push").contains(">Sign in</button>");

        for (String[] pushing : new String[][] {{REQUIRED_REALM, SPA, SPA_REDIRECT}, {REALM, STRICT, STRICT_REDIRECT}}) {
            String requestUri = requestUri(push(server, pushing[0], spaParameters(pushing[1], pushing[2], "pushed")));
            HttpResponse<String> done = SignInFlow.signIn(new BrowserClient(server.baseUrl()),
                    authorize(pushing[0], pushing[1], requestUri), "username", "pat", PASSWORD);
            assertThat(BrowserClient.redirectParams(done)).containsEntry("state", "pushed").containsKey("code");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theMetadataNamesTheEndpointAndWhetherPushingIsRequired(StoreKind store) {
        TestServer server = SERVERS.get(store);
        for (String document : new String[] {"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"}) {
            JsonNode optional = json(server.get(REALM + document));
            assertThat(optional.path("pushed_authorization_request_endpoint").asText()).isEqualTo(server.baseUrl() + REALM + "/oauth2/par");
            assertThat(optional.path("require_pushed_authorization_requests").asBoolean()).as(document).isFalse();
            assertThat(json(server.get(REQUIRED_REALM + document)).path("require_pushed_authorization_requests").asBoolean())
                    .as(document).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRequestPushedToOneInstanceSignsInThroughAnother(StoreKind store) {
        TestServer server = SERVERS.get(store);
        try (TestServer second = TestServer.secondInstance(server)) {
            String requestUri = requestUri(push(server, REALM, spaParameters(SPA, SPA_REDIRECT, "across")));
            HttpResponse<String> done = SignInFlow.signIn(new BrowserClient(second.baseUrl()), authorize(REALM, SPA, requestUri),
                    "username", "pat", PASSWORD);
            assertThat(BrowserClient.redirectParams(done)).containsEntry("state", "across").containsKey("code");
        }
    }

    private static int rows(TestServer server) {
        return server.database().sql().queryOne("SELECT COUNT(*) FROM pushed_authorization_requests", row -> row.getInt(1)).orElseThrow();
    }

    private static void assertPage(HttpResponse<String> page, String message) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains(message).doesNotContain(">Sign in</button>");
    }
}
