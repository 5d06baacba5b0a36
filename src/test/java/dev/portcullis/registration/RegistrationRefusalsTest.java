package dev.portcullis.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import static dev.portcullis.registration.RegistrationFixtures.*;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal of the registration endpoints, on both stores: each is RFC 7591 error JSON (or a Bearer challenge)
 * naming what to fix, and leaves nothing written.
 */
class RegistrationRefusalsTest {

    /** Each case registers from loopback: the per-address limit (its own test) is off here. */
    private static final ServersPerStore SERVERS = new ServersPerStore(store -> TestServer.start(store, YAML,
            Map.of("registration_requests_per_minute_per_address", "0")));

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    private static int clientRows(TestServer server) {
        return server.database().sql().queryOne("SELECT COUNT(*) FROM clients", row -> row.getInt(1)).orElseThrow();
    }

    private static String withRedirect(String redirectUri) {
        return publicClient("Refused", redirectUri);
    }

    static Stream<Arguments> metadataRefusals() {
        String longName = "n".repeat(RegistrationRequest.MAX_NAME_LENGTH + 1);
        String elevenUris = String.join(", ", java.util.stream.IntStream.range(0, 11)
                .mapToObj(i -> "\"http://127.0.0.1:" + (8000 + i) + "/cb\"").toList());
        Object[][] cases = {
                {"an application scope", "{ \"redirect_uris\": [ \"" + LOOPBACK_REDIRECT + "\" ], \"token_endpoint_auth_method\": \"none\", \"scope\": \"mcp.read app.read\" }",
                        "invalid_client_metadata", "'app.read' is an application scope"},
                {"an on-behalf-of scope", "{ \"redirect_uris\": [ \"" + LOOPBACK_REDIRECT + "\" ], \"token_endpoint_auth_method\": \"none\", \"scope\": \"obo.read\" }",
                        "invalid_client_metadata", "'obo.read' is an on-behalf-of scope"},
                {"a delegated scope not offered", "{ \"redirect_uris\": [ \"" + LOOPBACK_REDIRECT + "\" ], \"token_endpoint_auth_method\": \"none\", \"scope\": \"mcp.admin\" }",
                        "invalid_client_metadata", "'mcp.admin' is not offered", "offered: mcp.read mcp.write"},
                {"an unknown scope", "{ \"redirect_uris\": [ \"" + LOOPBACK_REDIRECT + "\" ], \"token_endpoint_auth_method\": \"none\", \"scope\": \"no.such\" }",
                        "invalid_client_metadata", "'no.such' is not offered"},
                {"a built-in admin scope", "{ \"redirect_uris\": [ \"" + LOOPBACK_REDIRECT + "\" ], \"token_endpoint_auth_method\": \"none\", \"scope\": \"portcullis.admin\" }",
                        "invalid_client_metadata", "'portcullis.admin' is not offered"},
                {"no redirect_uris", "{ \"token_endpoint_auth_method\": \"none\" }", "invalid_redirect_uri", "redirect_uris is required"},
                {"plain http to a remote host", withRedirect("http://tool.example.com/cb"), "invalid_redirect_uri", "must use https"},
                {"a fragment", withRedirect("https://tool.example.com/cb#frag"), "invalid_redirect_uri", "fragment"},
                {"a relative URI", withRedirect("/callback"), "invalid_redirect_uri", "absolute"},
                {"a javascript: URI", withRedirect("javascript:alert(1)"), "invalid_redirect_uri", ""},
                {"a data: URI", withRedirect("data:text/html,hi"), "invalid_redirect_uri", ""},
                {"a scheme without a dot", withRedirect("myapp:/cb"), "invalid_redirect_uri", "reverse domain"},
                {"a native app on localhost", "{ \"application_type\": \"native\", \"token_endpoint_auth_method\": \"none\", \"redirect_uris\": [ \"http://localhost:8000/cb\" ] }",
                        "invalid_redirect_uri", "not localhost"},
                {"eleven redirect URIs", "{ \"token_endpoint_auth_method\": \"none\", \"redirect_uris\": [ " + elevenUris + " ] }",
                        "invalid_client_metadata", "at most 10"},
                {"a redirect_uris string", "{ \"token_endpoint_auth_method\": \"none\", \"redirect_uris\": \"" + LOOPBACK_REDIRECT + "\" }",
                        "invalid_client_metadata", "redirect_uris"},
                {"private_key_jwt", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"token_endpoint_auth_method\": \"private_key_jwt\" }",
                        "invalid_client_metadata", "'private_key_jwt' is not supported"},
                {"client_secret_jwt", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"token_endpoint_auth_method\": \"client_secret_jwt\" }",
                        "invalid_client_metadata", "not supported"},
                {"tls_client_auth", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"token_endpoint_auth_method\": \"tls_client_auth\", \"tls_client_auth_subject_dn\": \"CN=x\" }",
                        "invalid_client_metadata", "not supported"},
                {"a native app with a secret", "{ \"application_type\": \"native\", \"redirect_uris\": [ \"http://127.0.0.1/cb\" ] }",
                        "invalid_client_metadata", "native application cannot keep a secret"},
                {"client_credentials", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"grant_types\": [ \"authorization_code\", \"client_credentials\" ] }",
                        "invalid_client_metadata", "'client_credentials' is not offered"},
                {"password", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"grant_types\": [ \"password\" ] }",
                        "invalid_client_metadata", "'password' is not offered"},
                {"token exchange", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"grant_types\": [ \"urn:ietf:params:oauth:grant-type:token-exchange\" ] }",
                        "invalid_client_metadata", "is not offered"},
                {"implicit", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"grant_types\": [ \"implicit\" ] }",
                        "invalid_client_metadata", "'implicit' is not offered"},
                {"refresh_token alone", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"grant_types\": [ \"refresh_token\" ] }",
                        "invalid_client_metadata", "must include authorization_code"},
                {"response type token", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"response_types\": [ \"token\" ] }",
                        "invalid_client_metadata", "only code"},
                {"response type code id_token", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"response_types\": [ \"code id_token\" ] }",
                        "invalid_client_metadata", "only code"},
                {"a client_name too long", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"client_name\": \"" + longName + "\" }",
                        "invalid_client_metadata", "client_name may have at most 200"},
                {"a software_id too long", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"software_id\": \"" + "s".repeat(256) + "\" }",
                        "invalid_client_metadata", "software_id may have at most 255"},
                {"a control character in client_name", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"client_name\": \"a\\u0007b\" }",
                        "invalid_client_metadata", "no control characters"},
                {"an unsupported ID token algorithm", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"id_token_signed_response_alg\": \"HS256\" }",
                        "invalid_client_metadata", "id_token_signed_response_alg must be one of"},
                {"a number as client_name", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"client_name\": 5 }",
                        "invalid_client_metadata", "client_name"},
                {"a string as grant_types", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"grant_types\": \"authorization_code\" }",
                        "invalid_client_metadata", "grant_types"},
                {"a number as a redirect URI", "{ \"redirect_uris\": [ 5 ] }", "invalid_client_metadata", "redirect_uris"},
                {"an unknown application_type", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"application_type\": \"desktop\" }",
                        "invalid_client_metadata", "application_type"},
                {"a string as require_pushed_authorization_requests", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], "
                        + "\"require_pushed_authorization_requests\": \"yes\" }", "invalid_client_metadata", ""},
                {"a malformed jwks", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"jwks\": { \"keys\": \"x\" } }",
                        "invalid_client_metadata", ""},
                {"not JSON", "client_name=x", "invalid_request", "not valid JSON"},
                {"a JSON array", "[ { \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ] } ]", "invalid_request", "must be a JSON object"},
                {"a repeated member", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ], \"client_name\": \"a\", \"client_name\": \"b\" }",
                        "invalid_request", "duplicate"},
                {"trailing content", "{ \"redirect_uris\": [ \"" + WEB_REDIRECT + "\" ] } { }", "invalid_request", "not valid JSON"},
        };
        return Arrays.stream(StoreKind.values()).flatMap(store -> Arrays.stream(cases)
                .map(c -> Arguments.of(store, c[0], c[1], c[2], Arrays.copyOfRange(c, 3, c.length, String[].class))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("metadataRefusals")
    void metadataThisServerDoesNotAcceptIsRefusedAndNothingIsWritten(StoreKind store, String name, String json, String error,
                                                                    String[] description) {
        TestServer server = SERVERS.get(store);
        int before = clientRows(server);
        assertError(register(server, OPEN, json), 400, error, description);
        assertThat(clientRows(server)).as("nothing written").isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void registrationIsRefusedWhereTheTenantHasItOff(StoreKind store) {
        TestServer server = SERVERS.get(store);
        int before = clientRows(server);
        assertError(register(server, OFF, publicClient("Off", LOOPBACK_REDIRECT)), 403, "access_denied",
                "dynamic client registration is off for tenant DCROFF");
        assertThat(clientRows(server)).isEqualTo(before);
        assertError(register(server, "/system/auth/NOPE-U", publicClient("Nowhere", LOOPBACK_REDIRECT)), 404, "not_found");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTenantWithAnInitialAccessTokenRegistersOnlyWithIt(StoreKind store) {
        TestServer server = SERVERS.get(store);
        String body = publicClient("Tokened", LOOPBACK_REDIRECT);
        int before = clientRows(server);

        HttpResponse<String> missing = register(server, WITH_TOKEN, body);
        assertError(missing, 401, "invalid_token", "initial access token");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).startsWith("Bearer realm=").doesNotContain("error="));
        for (String wrong : new String[] {INITIAL_ACCESS_TOKEN + "x", INITIAL_ACCESS_TOKEN.substring(1), "short"}) {
            HttpResponse<String> refused = register(server, WITH_TOKEN, body, Map.of("Authorization", "Bearer " + wrong));
            assertError(refused, 401, "invalid_token", "initial access token is not valid");
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                    assertThat(challenge).contains("error=\"invalid_token\""));
        }
        assertError(register(server, WITH_TOKEN, body, Map.of("Authorization", "Basic " + INITIAL_ACCESS_TOKEN)), 401,
                "invalid_token");
        assertError(register(server, WITH_TOKEN, body, Map.of("Authorization", "Bearer " + "x".repeat(600))), 401,
                "invalid_token", "malformed");
        assertThat(clientRows(server)).isEqualTo(before);

        JsonNode client = registered(register(server, WITH_TOKEN, body, Map.of("Authorization", "Bearer " + INITIAL_ACCESS_TOKEN)));
        assertThat(client.path("scope").asText()).isEqualTo("mcp.read");
        // the initial access token is not a registration access token
        assertError(manage(server, "GET", client.path("registration_client_uri").asText(), INITIAL_ACCESS_TOKEN, null), 401,
                "invalid_token");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anOversizedOrMislabelledBodyIsRefused(StoreKind store) {
        TestServer server = SERVERS.get(store);
        String padded = "{ \"redirect_uris\": [ \"" + LOOPBACK_REDIRECT + "\" ], \"token_endpoint_auth_method\": \"none\", "
                + "\"client_uri\": \"https://tool.example.com/" + "a".repeat(RegistrationEndpoint.MAX_BODY_BYTES) + "\" }";
        assertError(register(server, OPEN, padded), 400, "invalid_request", "larger than 16 KiB");
        HttpResponse<String> form = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + OPEN + "/oauth2/register"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_name=x", StandardCharsets.UTF_8)).build());
        assertError(form, 400, "invalid_request", "Content-Type must be application/json");
        assertError(register(server, OPEN, publicClient("Latin", LOOPBACK_REDIRECT),
                Map.of("Content-Type", "application/json; charset=ISO-8859-1")), 400, "invalid_request", "UTF-8");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUpdateMustNameTheClientAndMayNotSetWhatTheServerDecides(StoreKind store) {
        TestServer server = SERVERS.get(store);
        JsonNode client = registered(register(server, OPEN, publicClient("Updated", LOOPBACK_REDIRECT)));
        String uri = client.path("registration_client_uri").asText();
        String token = client.path("registration_access_token").asText();
        ObjectNode base = (ObjectNode) json(manage(server, "GET", uri, token, null));
        base.remove("registration_client_uri");
        base.remove("client_id_issued_at");

        ObjectNode noId = base.deepCopy();
        noId.remove("client_id");
        assertError(manage(server, "PUT", uri, token, noId.toString()), 400, "invalid_request", "own client_id");
        ObjectNode otherId = base.deepCopy().put("client_id", "someone-else");
        assertError(manage(server, "PUT", uri, token, otherId.toString()), 400, "invalid_request", "own client_id");
        for (String field : new String[] {"registration_access_token", "registration_client_uri", "client_id_issued_at",
                "client_secret_expires_at"}) {
            ObjectNode withField = base.deepCopy().put(field, "1");
            assertError(manage(server, "PUT", uri, token, withField.toString()), 400, "invalid_request", field);
        }
        ObjectNode withSecret = base.deepCopy().put("client_secret", "chosen-by-the-client-0123456789abcdef");
        assertError(manage(server, "PUT", uri, token, withSecret.toString()), 400, "invalid_request", "client_secret");
        ObjectNode confidential = base.deepCopy().put("token_endpoint_auth_method", "client_secret_basic");
        assertError(manage(server, "PUT", uri, token, confidential.toString()), 400, "invalid_client_metadata", "public or confidential");
        ObjectNode badScope = base.deepCopy().put("scope", "app.read");
        assertError(manage(server, "PUT", uri, token, badScope.toString()), 400, "invalid_client_metadata", "application scope");
        ObjectNode badRedirect = base.deepCopy();
        badRedirect.putArray("redirect_uris").add("http://tool.example.com/cb");
        assertError(manage(server, "PUT", uri, token, badRedirect.toString()), 400, "invalid_redirect_uri");

        JsonNode after = json(manage(server, "GET", uri, token, null));
        assertThat(after.path("scope").asText()).as("no refused update changed anything").isEqualTo("mcp.read mcp.write");
        assertThat(after.path("redirect_uris").get(0).asText()).isEqualTo(LOOPBACK_REDIRECT);
        assertThat(after.path("token_endpoint_auth_method").asText()).isEqualTo("none");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTenantHoldsAtMostItsLimitOfRegisteredClients(StoreKind store) {
        TestServer server = SERVERS.get(store);
        var sql = server.database().sql();
        int existing = sql.queryOne("SELECT COUNT(*) FROM client_registrations WHERE tenant_id = 'DCRFULL'", row -> row.getInt(1))
                .orElseThrow();
        sql.inTransaction(tx -> {
            for (int i = existing; i < Registrar.MAX_CLIENTS_PER_TENANT; i++) {
                tx.update("INSERT INTO clients (tenant_id, client_id, name, platform, created_at, updated_at) "
                        + "VALUES ('DCRFULL', ?, 'Filler', 'spa', 0, 0)", "filler-" + i);
                tx.update("INSERT INTO client_registrations (tenant_id, client_id, registration_token_hash, "
                        + "token_endpoint_auth_method, grant_types, response_types, registered_at, updated_at) "
                        + "VALUES ('DCRFULL', ?, 'x', 'none', 'authorization_code', 'code', 0, 0)", "filler-" + i);
            }
            return null;
        });
        int before = clientRows(server);
        assertError(register(server, FULL, publicClient("One too many", LOOPBACK_REDIRECT)), 403, "access_denied",
                "already holds " + Registrar.MAX_CLIENTS_PER_TENANT);
        assertThat(clientRows(server)).isEqualTo(before);
        // other tenants are not held back by this one's
        registered(register(server, OPEN, publicClient("Elsewhere", LOOPBACK_REDIRECT)));
    }
}
