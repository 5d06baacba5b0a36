package dev.portcullis.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.portcullis.testing.AcmeTenant.APP_CLIENT;
import static dev.portcullis.testing.AcmeTenant.APP_SECRET;
import static dev.portcullis.testing.AcmeTenant.BASIC_CLIENT;
import static dev.portcullis.testing.AcmeTenant.C;
import static dev.portcullis.testing.AcmeTenant.DISABLED_CLIENT;
import static dev.portcullis.testing.AcmeTenant.DISABLED_SECRET;
import static dev.portcullis.testing.AcmeTenant.EXPIRED_CLIENT;
import static dev.portcullis.testing.AcmeTenant.EXPIRED_SECRET;
import static dev.portcullis.testing.AcmeTenant.OBO_CLIENT;
import static dev.portcullis.testing.AcmeTenant.OBO_SECRET;
import static dev.portcullis.testing.AcmeTenant.ROTATED_SECRET;
import static dev.portcullis.testing.AcmeTenant.SPA_CLIENT;
import static dev.portcullis.testing.AcmeTenant.U;
import static dev.portcullis.testing.AcmeTenant.YAML;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every way a token request can be wrong, answered per RFC 6749 5.2 with a description that helps. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenEndpointErrorsTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stopServers() {
        servers.close();
    }

    private static Map<String, String> obo(String... extra) {
        Map<String, String> form = form("grant_type", "password", "client_id", OBO_CLIENT, "client_secret", OBO_SECRET,
                "scope", "obo.read");
        form.putAll(form(extra));
        return form;
    }

    private static Map<String, String> clientCredentials(String clientId, String secret, String scope) {
        return form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret, "scope", scope);
    }

    private static HttpResponse<String> raw(TestServer server, String path, String body) {
        return server.postRaw(path, FORM, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    // ---- grant_type and form shape ---------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void missingGrantTypeIsInvalidRequest(StoreKind store) {
        TestServer server = servers.get(store);
        Map<String, String> form = obo("subject_username", "Alice");
        form.remove("grant_type");
        assertError(server.postForm(U, form), 400, "invalid_request", "grant_type");
        assertError(raw(server, U, "grant_type=&client_id=x"), 400, "invalid_request", "grant_type");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownGrantTypeIsUnsupportedGrantType(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                        "client_id", OBO_CLIENT, "client_secret", OBO_SECRET, "scope", "obo.read")),
                400, "unsupported_grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        assertError(server.postForm(U, form("grant_type", "PASSWORD", "client_id", OBO_CLIENT, "client_secret", OBO_SECRET,
                "scope", "obo.read", "subject_username", "Alice")), 400, "unsupported_grant_type", "PASSWORD");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void repeatedParameterIsRefusedWithInvalidRequest(StoreKind store) {
        TestServer server = servers.get(store);
        String base = TestServer.encode(obo("subject_username", "Alice"));
        assertError(raw(server, U, base + "&scope=obo.write"), 400, "invalid_request", "'scope'", "repeated");
        assertError(raw(server, U, base + "&client_id=" + OBO_CLIENT), 400, "invalid_request", "'client_id'", "repeated");
        assertError(raw(server, U, base + "&subject_username=Alice"), 400, "invalid_request", "'subject_username'", "repeated");
        assertError(raw(server, U, "grant_type=password&" + base.replace("grant_type=password&", "")
                + "&grant_type=client_credentials"), 400, "invalid_request", "'grant_type'", "repeated");
    }

    // ---- the On-Behalf-Of subject ----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void noSubjectIsInvalidRequestNamingTheRealmsSubjectParameters(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, obo()), 400, "invalid_request", "subject_username", "subject_userid");
        assertError(server.postForm(C, obo()), 400, "invalid_request", "subject_email");
        assertError(server.postForm(U, obo("subject_username", "")), 400, "invalid_request", "subject_username");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void bothSubjectUsernameAndSubjectUseridAreRefused(StoreKind store) {
        assertError(servers.get(store).postForm(U, obo("subject_username", "Alice", "subject_userid", "1001")),
                400, "invalid_request", "subject_username", "subject_userid");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void subjectEmailSentToTheUserRealmIsRefused(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, obo("subject_email", "alice@example.com")), 400, "invalid_request", "subject_email", "ACME-C");
        assertError(server.postForm(U, obo("subject_username", "Alice", "subject_email", "alice@example.com")),
                400, "invalid_request", "subject_email");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void userSubjectSentToTheCustomerRealmIsRefused(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(C, obo("subject_username", "Alice")), 400, "invalid_request", "subject_username", "ACME-U");
        assertError(server.postForm(C, obo("subject_userid", "1001")), 400, "invalid_request", "subject_userid", "ACME-U");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void passwordParameterIsRefused(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, obo("subject_username", "Alice", "password", "hunter2hunter2")),
                400, "invalid_request", "password");
        assertError(server.postForm(C, obo("subject_email", "jane.doe@example.com", "password", "x")),
                400, "invalid_request", "password");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void usernameParameterIsRefused(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, obo("username", "Alice")), 400, "invalid_request", "username");
        assertError(server.postForm(U, obo("subject_username", "Alice", "username", "Alice")), 400, "invalid_request", "username");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownOrDisabledUserIsInvalidGrant(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, obo("subject_username", "nobody")), 400, "invalid_grant", "nobody");
        assertError(server.postForm(U, obo("subject_userid", "9999")), 400, "invalid_grant", "9999");
        assertError(server.postForm(U, obo("subject_username", "bob")), 400, "invalid_grant", "bob");
        assertError(server.postForm(U, obo("subject_userid", "1002")), 400, "invalid_grant", "1002");
        // user ids match exactly, and a customer is not a user
        assertError(server.postForm(U, obo("subject_userid", "c-1")), 400, "invalid_grant", "c-1");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownOrDisabledCustomerIsInvalidGrant(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(C, obo("subject_email", "nobody@example.com")), 400, "invalid_grant", "nobody@example.com");
        assertError(server.postForm(C, obo("subject_email", "gone@example.com")), 400, "invalid_grant", "gone@example.com");
        // a user's email does not name a customer
        assertError(server.postForm(C, obo("subject_email", "alice@example.com")), 400, "invalid_grant", "alice@example.com");
    }

    // ---- scope -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void missingScopeIsInvalidRequestForEveryGrant(StoreKind store) {
        TestServer server = servers.get(store);
        Map<String, String> oboForm = obo("subject_username", "Alice");
        oboForm.remove("scope");
        assertError(server.postForm(U, oboForm), 400, "invalid_request", "scope");
        Map<String, String> ccForm = clientCredentials(APP_CLIENT, APP_SECRET, "app.read");
        ccForm.remove("scope");
        assertError(server.postForm(U, ccForm), 400, "invalid_request", "scope");
        assertError(server.postForm(U, clientCredentials(APP_CLIENT, APP_SECRET, "")), 400, "invalid_request", "scope");
        assertError(server.postForm(U, clientCredentials(APP_CLIENT, APP_SECRET, "   ")), 400, "invalid_request", "scope");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownScopeIsInvalidScopeNamingTheScope(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, obo("subject_username", "Alice", "scope", "no.such.scope")),
                400, "invalid_scope", "no.such.scope", "not defined");
        assertError(server.postForm(U, obo("subject_username", "Alice", "scope", "obo.read no.such.scope")),
                400, "invalid_scope", "no.such.scope");
        assertError(server.postForm(U, clientCredentials(APP_CLIENT, APP_SECRET, "app.read no.such.scope")),
                400, "invalid_scope", "no.such.scope");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void definedButUnassignedScopeIsInvalidScope(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, obo("subject_username", "Alice", "scope", "obo.unassigned")),
                400, "invalid_scope", "obo.unassigned", "not assigned", OBO_CLIENT);
        assertError(server.postForm(U, clientCredentials(OBO_CLIENT, OBO_SECRET, "app.write")),
                400, "invalid_scope", "app.write", "not assigned");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void delegatedScopeIsRefusedForOnBehalfOf(StoreKind store) {
        assertError(servers.get(store).postForm(U, obo("subject_username", "Alice", "scope", "deleg.read")),
                400, "invalid_scope", "deleg.read", "delegated", "on-behalf-of");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void applicationScopeIsRefusedForOnBehalfOf(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, obo("subject_username", "Alice", "scope", "app.read")),
                400, "invalid_scope", "app.read", "application");
        assertError(server.postForm(U, obo("subject_username", "Alice", "scope", "obo.read app.read")),
                400, "invalid_scope", "app.read", "application");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void onBehalfOfScopeIsRefusedForClientCredentials(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, clientCredentials(APP_CLIENT, APP_SECRET, "obo.read")),
                400, "invalid_scope", "obo.read", "on-behalf-of", "application");
        assertError(server.postForm(U, clientCredentials(OBO_CLIENT, OBO_SECRET, "deleg.read")),
                400, "invalid_scope", "deleg.read", "delegated");
    }

    // ---- client authentication -------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownClientInTheBodyIsInvalidClientWith400AndNoChallenge(StoreKind store) {
        TestServer server = servers.get(store);
        HttpResponse<String> response = server.postForm(U, clientCredentials("no-such-client", APP_SECRET, "app.read"));
        assertError(response, 400, "invalid_client", "client");
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        // a client of another tenant is unknown here
        assertError(server.postForm("/system/auth/OTHER-U/oauth2/token", clientCredentials(APP_CLIENT, APP_SECRET, "app.read")),
                400, "invalid_client");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void wrongSecretInTheBodyIsInvalidClientWith400AndNoChallenge(StoreKind store) {
        TestServer server = servers.get(store);
        HttpResponse<String> response = server.postForm(U, clientCredentials(APP_CLIENT, APP_SECRET + "x", "app.read"));
        assertError(response, 400, "invalid_client", "client");
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        // another client's secret is a wrong secret
        assertError(server.postForm(U, clientCredentials(APP_CLIENT, OBO_SECRET, "app.read")), 400, "invalid_client");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void clientAuthenticationComesBeforeTheGrantsOwnChecks(StoreKind store) {
        // each request is also malformed for its grant: a caller without credentials must learn only that they failed
        TestServer server = servers.get(store);
        String wrong = "wrong-secret-0123456789abcdefghijklmn";
        assertError(server.postForm(U, form("grant_type", "password", "client_id", OBO_CLIENT, "client_secret", wrong,
                "scope", "obo.read")), 400, "invalid_client");
        assertError(server.postForm(U, form("grant_type", "password", "client_id", OBO_CLIENT, "client_secret", wrong,
                "scope", "obo.read", "subject_username", "Alice", "password", "guess")), 400, "invalid_client");
        assertError(server.postForm(U, form("grant_type", "authorization_code", "client_id", "no-such-client",
                "client_secret", wrong)), 400, "invalid_client");
        assertError(server.postForm(U, form("grant_type", "refresh_token", "client_id", OBO_CLIENT, "client_secret", wrong)),
                400, "invalid_client");
        // with the right secret the same first request gets the grant's own error
        assertError(server.postForm(U, obo()), 400, "invalid_request", "subject");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void wrongSecretViaBasicIsInvalidClientWithBasicChallenge(StoreKind store) {
        TestServer server = servers.get(store);
        HttpResponse<String> response = server.postForm(U, form("grant_type", "client_credentials", "scope", "app.read"),
                Map.of("Authorization", basic(APP_CLIENT, "wrong-secret-0123456789abcdefghijklmn")));
        assertError(response, 401, "invalid_client");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic ").contains("realm="));

        HttpResponse<String> unknown = server.postForm(U, form("grant_type", "client_credentials", "scope", "app.read"),
                Map.of("Authorization", basic("no-such-client", APP_SECRET)));
        assertError(unknown, 401, "invalid_client");
        assertThat(unknown.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(c -> assertThat(c).startsWith("Basic "));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void malformedBasicHeaderIsInvalidClientWithBasicChallenge(StoreKind store) {
        TestServer server = servers.get(store);
        Map<String, String> body = form("grant_type", "client_credentials", "scope", "app.read");
        for (String header : List.of("Basic !!!not-base64!!!", "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes()),
                "Basic " + Base64.getEncoder().encodeToString((APP_CLIENT + ":").getBytes()),
                "Basic " + Base64.getEncoder().encodeToString((APP_CLIENT + ":%zz").getBytes()), "Basic ")) {
            HttpResponse<String> response = server.postForm(U, body, Map.of("Authorization", header));
            assertError(response, 401, "invalid_client", "Basic");
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(header).hasValueSatisfying(
                    c -> assertThat(c).startsWith("Basic "));
        }
        HttpResponse<String> bearer = server.postForm(U, body, Map.of("Authorization", "Bearer abc"));
        assertError(bearer, 401, "invalid_client", "Authorization");
        assertThat(bearer.headers().firstValue("WWW-Authenticate")).as("RFC 6749 5.2: a challenge for the scheme to use")
                .hasValueSatisfying(c -> assertThat(c).startsWith("Basic "));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void expiredSecretIsInvalidClientWhileTheClientsOtherSecretWorks(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, clientCredentials(EXPIRED_CLIENT, EXPIRED_SECRET, "app.read")),
                400, "invalid_client", "expired");
        assertError(server.postForm(U, form("grant_type", "client_credentials", "scope", "app.read"),
                Map.of("Authorization", basic(EXPIRED_CLIENT, EXPIRED_SECRET))), 401, "invalid_client", "expired");
        assertToken(server.postForm(U, clientCredentials(EXPIRED_CLIENT, ROTATED_SECRET, "app.read")));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void disabledClientIsInvalidClient(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, clientCredentials(DISABLED_CLIENT, DISABLED_SECRET, "app.read")),
                400, "invalid_client", "disabled");
        assertError(server.postForm(U, form("grant_type", "password", "client_id", DISABLED_CLIENT, "client_secret",
                DISABLED_SECRET, "scope", "obo.read", "subject_username", "Alice")), 400, "invalid_client", "disabled");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void spaClientIsUnauthorizedForClientCredentialsAndOnBehalfOf(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, form("grant_type", "client_credentials", "client_id", SPA_CLIENT, "scope", "app.read")),
                400, "unauthorized_client", SPA_CLIENT, "client_credentials");
        assertError(server.postForm(U, form("grant_type", "password", "client_id", SPA_CLIENT, "scope", "obo.read",
                "subject_username", "Alice")), 400, "unauthorized_client", SPA_CLIENT);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void spaClientSendingASecretIsInvalidClient(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, clientCredentials(SPA_CLIENT, "some-secret-0123456789abcdefghijklmn", "app.read")),
                400, "invalid_client", SPA_CLIENT, "client_secret");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void webClientWithoutSecretIsInvalidClient(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, form("grant_type", "client_credentials", "client_id", APP_CLIENT, "scope", "app.read")),
                400, "invalid_client", "client_secret");
        assertError(server.postForm(U, form("grant_type", "client_credentials", "scope", "app.read")),
                400, "invalid_client", "client_id");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void basicTogetherWithClientSecretInTheBodyIsInvalidRequest(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, clientCredentials(APP_CLIENT, APP_SECRET, "app.read"),
                Map.of("Authorization", basic(APP_CLIENT, APP_SECRET))), 400, "invalid_request", "Basic", "client_secret");
        assertError(server.postForm(U, form("grant_type", "client_credentials", "client_id", OBO_CLIENT, "scope", "app.read"),
                Map.of("Authorization", basic(APP_CLIENT, APP_SECRET))), 400, "invalid_request", "client_id");
    }

    // ---- transport: content type, size, encoding, method, path ----------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void nonFormContentTypeIsInvalidRequest(StoreKind store) {
        TestServer server = servers.get(store);
        byte[] body = TestServer.encode(clientCredentials(APP_CLIENT, APP_SECRET, "app.read")).getBytes(StandardCharsets.UTF_8);
        assertError(server.postRaw(U, "text/plain", body), 400, "invalid_request", "Content-Type", "text/plain");
        assertError(server.postRaw(U, "application/json", "{\"grant_type\":\"client_credentials\"}".getBytes()),
                400, "invalid_request", "Content-Type", "application/json");
        assertError(server.postRaw(U, null, body), 400, "invalid_request", "Content-Type");
        assertError(server.postRaw(U, "multipart/form-data; boundary=x", body), 400, "invalid_request", "Content-Type");
        assertError(server.postRaw(U, FORM + "; charset=ISO-8859-1", body), 400, "invalid_request", "charset");
        // the media type is case-insensitive and a UTF-8 charset parameter is fine
        assertToken(server.postRaw(U, "Application/X-WWW-Form-URLEncoded; charset=UTF-8", body));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void bodyOverSixtyFourKibibytesIsInvalidRequest(StoreKind store) {
        TestServer server = servers.get(store);
        // padded with ignored parameters, each within the 4,096 characters any one parameter may have
        StringBuilder body = new StringBuilder(TestServer.encode(clientCredentials(APP_CLIENT, APP_SECRET, "app.read")));
        int i = 10;
        while (64 * 1024 - body.length() > 4096 + 5) {
            body.append("&p").append(i++).append('=').append("x".repeat(4096));
        }
        int last = 64 * 1024 - body.length() - 5;
        body.append("&p").append(i).append('=').append("x".repeat(last));
        String exactly = body.toString();
        assertThat(exactly).hasSize(64 * 1024);
        assertToken(raw(server, U, exactly));
        assertError(raw(server, U, exactly + "x"), 400, "invalid_request", "64 KiB");
        // also when the length is not declared up front
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.baseUrl() + U)).header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        (exactly + "x").getBytes(StandardCharsets.UTF_8)))).build();
        assertError(server.send(chunked), 400, "invalid_request", "64 KiB");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void malformedPercentEncodingIsInvalidRequest(StoreKind store) {
        TestServer server = servers.get(store);
        String base = TestServer.encode(clientCredentials(APP_CLIENT, APP_SECRET, "app.read"));
        assertError(raw(server, U, base + "&x=%zz"), 400, "invalid_request", "percent-encoding");
        assertError(raw(server, U, base + "&x=%f"), 400, "invalid_request", "percent-encoding");
        assertError(raw(server, U, base + "&x=%"), 400, "invalid_request", "percent-encoding");
        assertError(raw(server, U, "%zz=1&" + base), 400, "invalid_request", "percent-encoding");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void invalidUtf8IsInvalidRequest(StoreKind store) {
        TestServer server = servers.get(store);
        String base = TestServer.encode(clientCredentials(APP_CLIENT, APP_SECRET, "app.read"));
        assertError(raw(server, U, base + "&x=%ff"), 400, "invalid_request", "UTF-8");
        assertError(raw(server, U, base + "&x=%c3%28"), 400, "invalid_request", "UTF-8");
        assertError(raw(server, U, base + "&x=%ed%a0%80"), 400, "invalid_request", "UTF-8");
        byte[] rawBytes = (base + "&x=").getBytes(StandardCharsets.UTF_8);
        byte[] withInvalidByte = java.util.Arrays.copyOf(rawBytes, rawBytes.length + 1);
        withInvalidByte[rawBytes.length] = (byte) 0xff;
        assertError(server.postRaw(U, FORM, withInvalidByte), 400, "invalid_request", "UTF-8");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void getOnTheTokenEndpointIs405Json(StoreKind store) {
        TestServer server = servers.get(store);
        HttpResponse<String> response = server.get(U + "?grant_type=client_credentials");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json(response).path("error").asText()).isEqualTo("method_not_allowed");
        assertThat(json(response).path("error_description").asText()).contains("GET");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownTenantOrRealmSuffixIs404Json(StoreKind store) {
        TestServer server = servers.get(store);
        Map<String, String> body = clientCredentials(APP_CLIENT, APP_SECRET, "app.read");
        assertError(server.postForm("/system/auth/NOPE-U/oauth2/token", body), 404, "not_found", "NOPE");
        assertError(server.postForm("/system/auth/ACME-X/oauth2/token", body), 404, "not_found", "ACME-X");
        assertError(server.postForm("/system/auth/ACME/oauth2/token", body), 404, "not_found", "ACME");
        assertError(server.postForm("/system/auth/acme-U/oauth2/token", body), 404, "not_found", "acme");
        for (String path : List.of("/system/auth/NOPE-U/.well-known/openid-configuration", "/system/auth/ACME-X/oauth2/jwks",
                "/.well-known/oauth-authorization-server/system/auth/NOPE-C")) {
            HttpResponse<String> response = server.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(json(response).path("error").asText()).as(path).isEqualTo("not_found");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownEndpointIs404Json(StoreKind store) {
        TestServer server = servers.get(store);
        for (String path : List.of("/system/auth/ACME-U/oauth2/nothing", "/nothing", "/system/auth/ACME-U")) {
            HttpResponse<String> response = server.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(path)
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(json(response).path("error").asText()).as(path).isEqualTo("not_found");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void nulCharactersAreRefusedBeforeAnyLookup(StoreKind store) {
        // PostgreSQL cannot store or compare NUL in text: a lookup with one must never reach the database
        TestServer server = servers.get(store);
        assertError(raw(server, U, "grant_type=client_credentials&client_id=app%00client&client_secret=" + APP_SECRET
                + "&scope=app.read"), 400, "invalid_request", "NUL");
        assertError(raw(server, U, "grant_type=client_credentials&client_id=app%00client&scope=app.read"), 400, "invalid_request", "NUL");
        assertError(raw(server, U, TestServer.encode(obo()) + "&subject_username=Al%00ice"), 400, "invalid_request", "NUL");
        assertError(raw(server, U, TestServer.encode(obo()) + "&subject_userid=10%0001"), 400, "invalid_request", "NUL");
        assertError(raw(server, C, TestServer.encode(obo()) + "&subject_email=jane%00@example.com"), 400, "invalid_request", "NUL");
        byte[] rawNul = "grant_type=client_credentials&client_id=app\0client&scope=app.read".getBytes(StandardCharsets.UTF_8);
        assertError(server.postRaw(U, FORM, rawNul), 400, "invalid_request", "NUL");
        for (String credentials : List.of("app%00client:" + APP_SECRET, APP_CLIENT + ":" + APP_SECRET + "%00",
                "app\0client:" + APP_SECRET)) {
            HttpResponse<String> response = server.postForm(U, form("grant_type", "client_credentials", "scope", "app.read"),
                    Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
            assertError(response, 401, "invalid_client", "NUL");
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }

    // ---- nothing a client sends produces a 5xx ---------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void randomJunkBodiesNeverProduceServerErrors(StoreKind store) {
        TestServer server = servers.get(store);
        Random random = new Random(20240601L);
        for (int i = 0; i < 200; i++) {
            byte[] body = new byte[random.nextInt(300)];
            random.nextBytes(body);
            HttpResponse<String> response = server.postRaw(i % 2 == 0 ? U : C, FORM, body);
            assertNoServerError(response, "random bytes #" + i);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void randomPlausibleFormsNeverProduceServerErrors(StoreKind store) {
        TestServer server = servers.get(store);
        Random random = new Random(7L);
        List<String> names = List.of("grant_type", "client_id", "client_secret", "scope", "subject_username", "subject_userid",
                "subject_email", "password", "username", "extra");
        for (int i = 0; i < 200; i++) {
            StringBuilder body = new StringBuilder();
            List<String> used = new ArrayList<>(names);
            java.util.Collections.shuffle(used, random);
            int count = random.nextInt(names.size());
            for (int p = 0; p < count; p++) {
                if (body.length() > 0) {
                    body.append('&');
                }
                body.append(used.get(p)).append('=').append(randomValue(random, used.get(p)));
            }
            Map<String, String> headers = random.nextInt(4) == 0
                    ? Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (randomValue(random, "client_id") + ":" + randomValue(random, "client_secret")).getBytes(StandardCharsets.ISO_8859_1)))
                    : Map.of();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + (random.nextBoolean() ? U : C)))
                    .header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            headers.forEach(request::header);
            assertNoServerError(server.send(request.build()), "form #" + i + ": " + body + " " + headers);
        }
    }

    private static String randomValue(Random random, String name) {
        return switch (random.nextInt(8)) {
            case 0 -> switch (name) {
                case "grant_type" -> random.nextBoolean() ? "password" : "client_credentials";
                case "client_id" -> List.of(OBO_CLIENT, APP_CLIENT, SPA_CLIENT, BASIC_CLIENT, DISABLED_CLIENT).get(random.nextInt(5));
                case "client_secret" -> random.nextBoolean() ? OBO_SECRET : APP_SECRET;
                case "scope" -> List.of("obo.read", "app.read", "deleg.read", "obo.read app.read", "x").get(random.nextInt(5));
                case "subject_username" -> "alice";
                case "subject_userid" -> "1001";
                case "subject_email" -> "jane.doe@example.com";
                default -> "v";
            };
            case 1 -> "";
            case 2 -> "%00";
            case 3 -> "%" + Integer.toHexString(0x80 + random.nextInt(0x80));
            case 4 -> "%e2%82%ac%f0%9f%98%80" + "%0d%0a";
            case 5 -> "a".repeat(random.nextInt(5000));
            case 6 -> "%27%20OR%201%3D1--";
            default -> {
                StringBuilder value = new StringBuilder();
                for (int c = random.nextInt(20); c > 0; c--) {
                    value.append((char) (0x21 + random.nextInt(0x5e)));
                }
                yield value.toString().replace("&", "%26").replace("=", "%3D");
            }
        };
    }

    private static void assertNoServerError(HttpResponse<String> response, String what) {
        assertThat(response.statusCode()).as("%s -> %s", what, response.body()).isLessThan(500);
        JsonNode body = json(response);
        if (response.statusCode() != 200) {
            assertThat(body.path("error").asText()).as(what).isNotBlank();
            assertThat(body.path("error_description").asText()).as(what).isNotBlank();
        }
        assertThat(response.headers().firstValue("Cache-Control")).as(what).contains("no-store");
    }
}
