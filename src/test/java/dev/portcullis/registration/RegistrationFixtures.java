package dev.portcullis.registration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.grant.Pkce;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.TestServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenants with dynamic registration open (DCROPEN), behind an initial access token (DCRTOKEN) and off (DCROFF),
 * and the requests the registration tests send. DCROPEN offers two delegated scopes and defines, but does not offer,
 * a delegated, an application and an on-behalf-of scope.
 */
final class RegistrationFixtures {

    static final String OPEN = "/system/auth/DCROPEN-U";
    static final String WITH_TOKEN = "/system/auth/DCRTOKEN-U";
    static final String OFF = "/system/auth/DCROFF-U";
    static final String FULL = "/system/auth/DCRFULL-U";
    static final String INITIAL_ACCESS_TOKEN = "initial-access-token-0123456789abcdefghij";
    static final String ADMIN_SECRET = "admin-secret-0123456789abcdefghijklmnop";
    static final String PASSWORD = "password-of-alice-0001";
    static final String VERIFIER = "registered-client-verifier-0123456789abcdefghijklmno";
    static final String CHALLENGE = Pkce.s256(VERIFIER);
    static final String LOOPBACK_REDIRECT = "http://127.0.0.1:8765/callback";
    static final String WEB_REDIRECT = "https://tool.example.com/callback";

    static final String YAML = """
            tenants:
              - id: DCROPEN
                name: Open registration
                dynamic_registration: { enabled: true, scopes: [ mcp.read, mcp.write ] }
                scopes:
                  - { name: mcp.read, kind: delegated, description: Read your notes }
                  - { name: mcp.write, kind: delegated, description: Change your notes }
                  - { name: mcp.admin, kind: delegated, description: Not offered to registered clients }
                  - { name: app.read, kind: application }
                  - { name: obo.read, kind: on-behalf-of }
                users:
                  - { id: "1001", username: alice, password: "%1$s" }
                clients:
                  - { client_id: automation, name: Automation, platform: web, secrets: [ "%2$s" ], scopes: [ portcullis.admin.api ] }
              - id: DCRTOKEN
                name: Registration with an initial access token
                dynamic_registration: { enabled: true, initial_access_token: "%3$s", scopes: [ mcp.read ] }
                scopes:
                  - { name: mcp.read, kind: delegated }
              - id: DCROFF
                name: Registration off
                scopes:
                  - { name: mcp.read, kind: delegated }
              - id: DCRFULL
                name: Registration full
                dynamic_registration: { enabled: true, scopes: [ mcp.read ] }
                scopes:
                  - { name: mcp.read, kind: delegated }
            """.formatted(PASSWORD, ADMIN_SECRET, INITIAL_ACCESS_TOKEN);

    private RegistrationFixtures() {
    }

    static HttpResponse<String> register(TestServer server, String realm, String json) {
        return register(server, realm, json, Map.of());
    }

    static HttpResponse<String> register(TestServer server, String realm, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + realm + "/oauth2/register"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(request::setHeader);
        return server.send(request.build());
    }

    /** A request to a registration_client_uri (RFC 7592) with a registration access token, or none when null. */
    static HttpResponse<String> manage(TestServer server, String method, String uri, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return server.send(request.build());
    }

    /** A registration answered with 201, as JSON; asserts the fields every registration response has. */
    static JsonNode registered(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = OAuthResponses.json(response);
        assertThat(body.path("client_id").asText()).matches("[0-9a-f-]{36}");
        assertThat(body.path("registration_access_token").asText()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(body.path("registration_client_uri").asText()).endsWith("/oauth2/register/" + body.path("client_id").asText());
        assertThat(body.path("client_id_issued_at").asLong()).isPositive();
        return body;
    }

    /** A public client's metadata as an MCP client sends it. */
    static String publicClient(String name, String redirectUri) {
        return """
                { "client_name": "%s", "redirect_uris": [ "%s" ], "token_endpoint_auth_method": "none",
                  "grant_types": [ "authorization_code", "refresh_token" ], "response_types": [ "code" ] }""".formatted(name, redirectUri);
    }

    static String authorizePath(String realm, String clientId, String redirectUri, String scope, String state) {
        return realm + "/oauth2/authorize?" + TestServer.encode(new java.util.LinkedHashMap<>(Map.of(
                "client_id", clientId, "response_type", "code", "redirect_uri", redirectUri, "scope", scope, "state", state,
                "code_challenge", CHALLENGE, "code_challenge_method", "S256")));
    }

    static String adminToken(TestServer server) {
        return OAuthResponses.assertToken(server.postForm(OPEN + "/oauth2/token", OAuthResponses.form("grant_type",
                "client_credentials", "client_id", "automation", "client_secret", ADMIN_SECRET, "scope", "portcullis.admin.api")))
                .serialize();
    }
}
