package dev.portcullis.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static dev.portcullis.registration.RegistrationFixtures.*;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dynamic client registration (RFC 7591) and its management (RFC 7592) on both stores: a registered client is an
 * ordinary client of the tenant that signs a user in through the real login and consent pages, and its registration
 * access token reads, updates and deletes it, and nothing else.
 */
class DynamicRegistrationTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPublicClientRegistersThenSignsAUserInWithPkceAndRefreshes(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        JsonNode client = registered(register(server, OPEN, publicClient("Notes agent", LOOPBACK_REDIRECT)));
        String clientId = client.path("client_id").asText();
        assertThat(client.has("client_secret")).as("a public client gets no secret").isFalse();
        assertThat(client.path("token_endpoint_auth_method").asText()).isEqualTo("none");
        assertThat(client.path("scope").asText()).as("every offered scope, none asked for").isEqualTo("mcp.read mcp.write");
        assertThat(client.path("redirect_uris").get(0).asText()).isEqualTo(LOOPBACK_REDIRECT);
        assertThat(client.path("client_name").asText()).isEqualTo("Notes agent");
        assertThat(client.has("logo_uri")).isFalse();

        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> consent = browser.follow(browser.submit(browser.follow(browser.get(
                authorizePath(OPEN, clientId, LOOPBACK_REDIRECT, "mcp.read", "st-1"))), Map.of("username", "alice", "password", PASSWORD)));
        assertThat(consent.body()).as("the consent page says the name is the client's own claim")
                .contains(">Allow</button>", "Notes agent", "id=\"self-registered\"");
        HttpResponse<String> done = browser.follow(browser.submit(consent, Map.of("decision", "allow")));
        assertThat(BrowserClient.location(done)).startsWith(LOOPBACK_REDIRECT + "?");
        Map<String, String> params = BrowserClient.redirectParams(done);
        assertThat(params).containsEntry("state", "st-1");

        HttpResponse<String> tokens = server.postForm(OPEN + "/oauth2/token", form("grant_type", "authorization_code",
                "code", params.get("code"), "redirect_uri", LOOPBACK_REDIRECT, "client_id", clientId, "code_verifier", VERIFIER));
        JWTClaimsSet claims = OAuthResponses.assertToken(tokens).getJWTClaimsSet();
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(claims.getSubject()).isEqualTo("1001");
        assertThat(json(tokens).path("scope").asText()).isEqualTo("mcp.read");
        OAuthResponses.assertToken(server.postForm(OPEN + "/oauth2/token", form("grant_type", "refresh_token",
                "refresh_token", json(tokens).path("refresh_token").asText(), "client_id", clientId)));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aClientUsesOnlyTheGrantTypesItRegistered(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        JsonNode client = registered(register(server, OPEN, """
                { "client_name": "Codes only", "redirect_uris": [ "%s" ], "token_endpoint_auth_method": "client_secret_post",
                  "grant_types": [ "authorization_code" ] }""".formatted(WEB_REDIRECT)));
        String clientId = client.path("client_id").asText();
        String secret = client.path("client_secret").asText();

        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> consent = browser.follow(browser.submit(browser.follow(browser.get(
                authorizePath(OPEN, clientId, WEB_REDIRECT, "mcp.read", "st-g"))), Map.of("username", "alice", "password", PASSWORD)));
        Map<String, String> params = BrowserClient.redirectParams(browser.follow(browser.submit(consent, Map.of("decision", "allow"))));
        HttpResponse<String> tokens = server.postForm(OPEN + "/oauth2/token", form("grant_type", "authorization_code",
                "code", params.get("code"), "redirect_uri", WEB_REDIRECT, "client_id", clientId, "client_secret", secret,
                "code_verifier", VERIFIER));
        OAuthResponses.assertToken(tokens);
        assertThat(json(tokens).has("refresh_token")).as("refresh_token was not registered").isFalse();

        assertError(server.postForm(OPEN + "/oauth2/token", form("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret, "scope", "mcp.read")), 400, "unauthorized_client",
                "registered the grant types authorization_code, not client_credentials");
        assertError(server.postForm(OPEN + "/oauth2/token", form("grant_type", "refresh_token", "refresh_token",
                "not-a-refresh-token", "client_id", clientId, "client_secret", secret)), 400, "unauthorized_client",
                "not refresh_token");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aConfidentialClientGetsItsSecretOnceStoredOnlyAsAHashAndMustStillUsePkce(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        JsonNode client = registered(register(server, OPEN, """
                { "client_name": "Web tool", "redirect_uris": [ "%s" ], "token_endpoint_auth_method": "client_secret_post",
                  "scope": "mcp.write", "software_id": "web-tool", "software_version": "2.1.0",
                  "logo_uri": "https://tool.example.com/logo.png", "contacts": [ "ops@example.com" ] }""".formatted(WEB_REDIRECT)));
        String clientId = client.path("client_id").asText();
        String secret = client.path("client_secret").asText();
        String registrationToken = client.path("registration_access_token").asText();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        assertThat(client.path("client_secret_expires_at").asLong()).as("never expires").isZero();
        assertThat(client.path("token_endpoint_auth_method").asText()).isEqualTo("client_secret_post");
        assertThat(client.path("software_id").asText()).isEqualTo("web-tool");
        assertThat(client.path("scope").asText()).isEqualTo("mcp.write");
        assertThat(client.has("logo_uri") || client.has("contacts")).as("ignored metadata is not returned").isFalse();

        String stored = server.database().sql().queryOne("SELECT secret_hash FROM client_secrets WHERE client_id = ?",
                row -> row.getString(1), clientId).orElseThrow();
        assertThat(stored).doesNotContain(secret).isNotEqualTo(SecretHasher.storedHash(secret));
        assertThat(server.database().sql().queryOne("SELECT registration_token_hash FROM client_registrations WHERE client_id = ?",
                row -> row.getString(1), clientId)).contains(SecretHasher.storedHash(registrationToken));

        HttpResponse<String> read = manage(server, "GET", client.path("registration_client_uri").asText(), registrationToken, null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).doesNotContain(secret).doesNotContain(registrationToken);
        assertThat(json(read).path("client_id").asText()).isEqualTo(clientId);
        assertThat(json(read).path("software_version").asText()).isEqualTo("2.1.0");

        // PKCE is required of registered clients, confidential ones too
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> withoutPkce = browser.get(OPEN + "/oauth2/authorize?" + TestServer.encode(Map.of("client_id", clientId,
                "response_type", "code", "redirect_uri", WEB_REDIRECT, "scope", "mcp.write", "state", "s")));
        assertThat(BrowserClient.redirectParams(withoutPkce)).containsEntry("error", "invalid_request");

        HttpResponse<String> done = SignInFlow.signIn(browser, authorizePath(OPEN, clientId, WEB_REDIRECT, "mcp.write", "s2"),
                "username", "alice", PASSWORD);
        String code = BrowserClient.redirectParams(done).get("code");
        assertError(server.postForm(OPEN + "/oauth2/token", form("grant_type", "authorization_code", "code", code,
                "redirect_uri", WEB_REDIRECT, "client_id", clientId, "code_verifier", VERIFIER)), 400, "invalid_client");
        JWTClaimsSet claims = OAuthResponses.assertToken(server.postForm(OPEN + "/oauth2/token", form("grant_type",
                "authorization_code", "code", code, "redirect_uri", WEB_REDIRECT, "client_id", clientId, "client_secret", secret,
                "code_verifier", VERIFIER))).getJWTClaimsSet();
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theRegistrationAccessTokenReadsUpdatesAndDeletesItsClientOnly(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        JsonNode mine = registered(register(server, OPEN, publicClient("Mine", LOOPBACK_REDIRECT)));
        JsonNode other = registered(register(server, OPEN, publicClient("Other", LOOPBACK_REDIRECT)));
        String uri = mine.path("registration_client_uri").asText();
        String token = mine.path("registration_access_token").asText();
        String otherToken = other.path("registration_access_token").asText();

        for (String method : new String[] {"GET", "DELETE"}) {
            assertBearerRefusal(manage(server, method, uri, otherToken, null), true);
            assertBearerRefusal(manage(server, method, uri, null, null), false);
            assertBearerRefusal(manage(server, method, uri, "not-" + token, null), true);
        }
        ObjectNode update = (ObjectNode) json(manage(server, "GET", uri, token, null));
        update.put("client_name", "Mine, renamed");
        update.put("scope", "mcp.read");
        update.putArray("redirect_uris").add(LOOPBACK_REDIRECT).add("http://127.0.0.1:9999/cb");
        Map.of("registration_access_token", "", "registration_client_uri", "", "client_id_issued_at", "")
                .keySet().forEach(update::remove);
        assertBearerRefusal(manage(server, "PUT", uri, otherToken, update.toString()), true);

        HttpResponse<String> updated = manage(server, "PUT", uri, token, update.toString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(json(updated).path("client_name").asText()).isEqualTo("Mine, renamed");
        assertThat(json(updated).path("scope").asText()).isEqualTo("mcp.read");
        assertThat(json(updated).path("redirect_uris")).hasSize(2);
        assertThat(json(manage(server, "GET", uri, token, null)).path("client_name").asText()).isEqualTo("Mine, renamed");
        assertThat(server.database().sql().query("SELECT action FROM audit_events WHERE resource = ? ORDER BY id",
                row -> row.getString(1), "clients/" + mine.path("client_id").asText()))
                .containsExactly("client.registered", "client.registration_updated");

        HttpResponse<String> deleted = manage(server, "DELETE", uri, token, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        for (String method : new String[] {"GET", "DELETE"}) {
            assertBearerRefusal(manage(server, method, uri, token, null), true);
        }
        assertBearerRefusal(manage(server, "PUT", uri, token, update.toString()), true);
        assertThat(server.database().sql().queryOne("SELECT COUNT(*) FROM clients WHERE client_id = ?", row -> row.getInt(1),
                mine.path("client_id").asText())).contains(0);
        HttpResponse<String> page = new BrowserClient(server.baseUrl()).get(authorizePath(OPEN, mine.path("client_id").asText(),
                LOOPBACK_REDIRECT, "mcp.read", "s"));
        assertThat(page.statusCode()).as("a deleted client signs no one in").isEqualTo(400);
        // the other client was not touched
        assertThat(manage(server, "GET", other.path("registration_client_uri").asText(), otherToken, null).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void administratorsSeeRegisteredClientsAsDynamicallyRegistered(StoreKind store) {
        TestServer server = SERVERS.get(store);
        String clientId = registered(register(server, OPEN, publicClient("Listed", LOOPBACK_REDIRECT))).path("client_id").asText();
        HttpResponse<String> read = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/admin/api/v1/tenants/DCROPEN/clients/" + clientId)).header("Authorization", "Bearer " + adminToken(server))
                .GET().build());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode client = json(read);
        assertThat(client.path("dynamically_registered").asBoolean()).isTrue();
        assertThat(client.path("platform").asText()).isEqualTo("spa");
        assertThat(client.path("consent").asText()).isEqualTo("required");
        assertThat(client.path("require_pkce").asBoolean()).isTrue();
        assertThat(client.path("name").asText()).isEqualTo("Listed");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theMetadataNamesTheRegistrationEndpointOnlyWhereRegistrationIsOn(StoreKind store) {
        TestServer server = SERVERS.get(store);
        for (String document : new String[] {"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"}) {
            JsonNode open = json(server.get(OPEN + document));
            assertThat(open.path("registration_endpoint").asText()).isEqualTo(server.baseUrl() + OPEN + "/oauth2/register");
            assertThat(json(server.get(OFF + document)).has("registration_endpoint")).as(document).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aNativeAppRegistersALoopbackRedirectAndMayUseAnyPort(StoreKind store) {
        TestServer server = SERVERS.get(store);
        JsonNode client = registered(register(server, OPEN, """
                { "client_name": "Desktop", "application_type": "native", "token_endpoint_auth_method": "none",
                  "redirect_uris": [ "http://127.0.0.1/callback" ], "scope": "mcp.read" }"""));
        assertThat(client.path("application_type").asText()).isEqualTo("native");
        HttpResponse<String> page = new BrowserClient(server.baseUrl()).get(authorizePath(OPEN, client.path("client_id").asText(),
                "http://127.0.0.1:51234/callback", "mcp.read", "s"));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains(">Sign in</button>");
    }

    private static void assertBearerRefusal(HttpResponse<String> response, boolean tokenSent) {
        assertError(response, 401, "invalid_token");
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).startsWith("Bearer realm=");
        assertThat(challenge.contains("error=\"invalid_token\"")).isEqualTo(tokenSent);
    }
}
