package dev.portcullis.egain;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.admin.TenantsFileApplier;
import dev.portcullis.admin.TenantsFileParser;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK metadata documents, read the way eGain's ai-agent-sdk reads them: take a URL from the JSON,
 * replace {@code <DOMAIN_NAME>} with the tenant id, prefix the scopes, ask for a token. The server's
 * api_url is {@code http://localhost:PORT} and its public_url {@code http://127.0.0.1:PORT}: the same
 * listener under two names, so every URL is usable and shows which base it was built from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkMetadataTest {

    private static final String CLIENT = "portal-sync";
    private static final String SECRET = "portal-sync-secret-0123456789abcdefghij";
    private static final String YAML = """
            tenants:
              - id: SHOP
                name: Shop
                scopes:
                  - { name: knowledge.portalmgr.read, kind: delegated }
                  - { name: knowledge.portalmgr.onbehalfof.read, kind: on-behalf-of }
                  - { name: app.knowledge.contentmgr.manage, kind: application }
                customers:
                  - { id: "c-1", email: jane@example.com }
                clients:
                  - client_id: portal-sync
                    name: Portal sync
                    platform: web
                    secrets: [ "portal-sync-secret-0123456789abcdefghij" ]
                    scopes: [ knowledge.portalmgr.onbehalfof.read, app.knowledge.contentmgr.manage ]
                anonymous_customers:
                  scopes: [ knowledge.portalmgr.read ]
              - id: CLOSED
                name: No anonymous customers
              - id: GONE
                name: Disabled
                enabled: false
              - id: TOGGLE
                name: Anonymous customers until a new tenants file says otherwise
                scopes:
                  - { name: knowledge.portalmgr.read, kind: delegated }
                anonymous_customers:
                  scopes: [ knowledge.portalmgr.read ]
            """;

    private final ServersPerStore servers = new ServersPerStore(store -> {
        int port = freePort();
        return TestServer.start(store, YAML, Map.of("port", String.valueOf(port), "api_url", "http://localhost:" + port));
    });

    @AfterAll
    void stopServers() {
        servers.close();
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String apiUrl(TestServer server) {
        return "http://localhost:" + server.port();
    }

    /** {@code fetch(url)} then {@code .json()}, as the SDK does, checking what a browser needs to read it. */
    private static JsonNode fetchMetadata(TestServer server, String url) {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("public, max-age=300");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        return json(response);
    }

    /** What AnonymousAuthStrategy.getToken does with a metadata document. */
    private static HttpResponse<String> sdkAnonymousToken(TestServer server, JsonNode metadata, String tenantId, String... scopes) {
        JsonNode details = metadata.path("authenticationDetails");
        String url = details.path("oAuthAnonymousCustomer").path(0).path("accessTokenURL").asText()
                .replace("<DOMAIN_NAME>", tenantId);
        String prefix = details.get("apiPermissionPrefix").asText();
        StringBuilder scope = new StringBuilder();
        for (String name : scopes) {
            scope.append(scope.length() == 0 ? "" : " ").append(prefix).append(name);
        }
        return AnonymousCustomerTokenTest.sdkRequest(server, url, TestServer.encode(form("client_id", "clientId",
                "client_secret", "clientSecret", "grant_type", "client_credentials", "scope", scope.toString())));
    }

    private static HttpResponse<String> postForm(TestServer server, String url, Map<String, String> body) {
        return server.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.encode(body))).build());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theDeploymentDocumentLeadsAVisitorToAnAnonymousTokenOfTheirTenant(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        JsonNode metadata = fetchMetadata(server, apiUrl(server) + "/core/authmgr/v3/metadata/deployment");
        assertThat(metadata.path("authenticationDetails").path("oAuthAnonymousCustomer").path(0).path("accessTokenURL").asText())
                .isEqualTo(apiUrl(server) + "/core/authmgr/v3/oauth2/v2.0/anonymous/token?user_type=customer&domain_hint=<DOMAIN_NAME>");

        HttpResponse<String> response = sdkAnonymousToken(server, metadata, "SHOP", "knowledge.portalmgr.read");
        JWTClaimsSet claims = AnonymousCustomerTokenTest.verifiedByRealm(server, server.baseUrl() + "/system/auth/SHOP-C",
                assertToken(response));
        assertThat(claims.getIssuer()).isEqualTo(server.baseUrl() + "/system/auth/SHOP-C");
        assertThat(claims.getStringClaim("actor_type")).isEqualTo("anonymous_customer");
        assertThat(claims.getStringClaim("scope")).isEqualTo("knowledge.portalmgr.read");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theDeploymentDocumentsRealmTemplatesBecomeWorkingRealmUrls(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        JsonNode details = fetchMetadata(server, apiUrl(server) + "/core/authmgr/v3/metadata/deployment").path("authenticationDetails");
        assertThat(details.path("oAuthUser").path(0).path("authURL").asText())
                .isEqualTo(server.baseUrl() + "/system/auth/<DOMAIN_NAME>-U/oauth2/authorize");
        String userTokenUrl = details.path("oAuthUser").path(0).path("accessTokenURL").asText().replace("<DOMAIN_NAME>", "SHOP");
        JWTClaimsSet claims = assertToken(postForm(server, userTokenUrl, form("grant_type", "client_credentials",
                "client_id", CLIENT, "client_secret", SECRET, "scope", "app.knowledge.contentmgr.manage"))).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(server.baseUrl() + "/system/auth/SHOP-U");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theTenantDocumentLeadsToWorkingTokenUrlsForUsersCustomersAndAnonymousCustomers(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        JsonNode metadata = fetchMetadata(server, apiUrl(server) + "/core/authmgr/v3/metadata/tenant/SHOP");
        JsonNode details = metadata.path("authenticationDetails");
        assertThat(details.get("apiPermissionPrefix").asText()).as("present, so the SDK prefixes nothing").isEmpty();

        // users: Client Credentials for the application at oAuthUser's token URL
        JsonNode user = details.path("oAuthUser").path(0);
        JWTClaimsSet app = assertToken(postForm(server, user.path("accessTokenURL").asText(), form("grant_type",
                "client_credentials", "client_id", CLIENT, "client_secret", SECRET, "scope", "app.knowledge.contentmgr.manage")))
                .getJWTClaimsSet();
        assertThat(app.getIssuer()).isEqualTo(server.baseUrl() + "/system/auth/SHOP-U");
        assertThat(app.getStringClaim("actor_type")).isEqualTo("client_app");

        // customers: On-Behalf-Of a customer at oAuthCustomer's token URL
        JsonNode customer = details.path("oAuthCustomer").path(0);
        JWTClaimsSet obo = assertToken(postForm(server, customer.path("accessTokenURL").asText(), form("grant_type", "password",
                "client_id", CLIENT, "client_secret", SECRET, "scope", "knowledge.portalmgr.onbehalfof.read",
                "subject_email", "jane@example.com"))).getJWTClaimsSet();
        assertThat(obo.getIssuer()).isEqualTo(server.baseUrl() + "/system/auth/SHOP-C");
        assertThat(obo.getSubject()).isEqualTo("c-1");

        // the authorize URLs are the realms' own, as their RFC 8414 metadata states them
        for (String[] realm : new String[][] {{"oAuthUser", "SHOP-U"}, {"oAuthCustomer", "SHOP-C"}}) {
            JsonNode serverMetadata = json(server.get("/.well-known/oauth-authorization-server/system/auth/" + realm[1]));
            JsonNode urls = details.path(realm[0]).path(0);
            assertThat(urls.path("authURL").asText()).isEqualTo(serverMetadata.path("authorization_endpoint").asText());
            assertThat(urls.path("accessTokenURL").asText()).isEqualTo(serverMetadata.path("token_endpoint").asText());
        }

        // anonymous customers: the placeholder URL, filled in as the SDK does
        assertThat(details.path("oAuthAnonymousCustomer").path(0).path("accessTokenURL").asText()).contains("<DOMAIN_NAME>")
                .startsWith(apiUrl(server) + "/core/");
        assertThat(assertToken(sdkAnonymousToken(server, metadata, "SHOP", "knowledge.portalmgr.read")).getJWTClaimsSet()
                .getStringClaim("actor_type")).isEqualTo("anonymous_customer");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTenantWithoutAnonymousCustomersListsNoAnonymousUrl(StoreKind store) {
        TestServer server = servers.get(store);
        JsonNode details = fetchMetadata(server, apiUrl(server) + "/core/authmgr/v3/metadata/tenant/CLOSED").path("authenticationDetails");
        assertThat(details.path("oAuthAnonymousCustomer").isArray()).isTrue();
        assertThat(details.path("oAuthAnonymousCustomer")).isEmpty();
        assertThat(details.path("oAuthCustomer").path(0).path("accessTokenURL").asText())
                .isEqualTo(server.baseUrl() + "/system/auth/CLOSED-C/oauth2/token");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unknownAndDisabledTenantsHaveNoDocument(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.get("/core/authmgr/v3/metadata/tenant/NOPE"), 404, "not_found", "unknown tenant 'NOPE'");
        assertError(server.get("/core/authmgr/v3/metadata/tenant/GONE"), 404, "not_found", "unknown tenant 'GONE'");
        assertError(server.get("/core/authmgr/v3/metadata/tenant/" + "A".repeat(300)), 404, "not_found", "unknown tenant");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTenantsFileWithoutTheSectionTurnsAnonymousCustomersOff(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        JsonNode before = fetchMetadata(server, apiUrl(server) + "/core/authmgr/v3/metadata/tenant/TOGGLE");
        assertToken(sdkAnonymousToken(server, before, "TOGGLE", "knowledge.portalmgr.read"));

        new TenantsFileApplier(server.database().sql(), TestServer.secretHasher(), Clock.systemUTC()).apply(TenantsFileParser.parse("""
                tenants:
                  - id: TOGGLE
                    name: Anonymous customers until a new tenants file says otherwise
                    scopes:
                      - { name: knowledge.portalmgr.read, kind: delegated }
                """, "second.yaml"));
        long deadline = System.currentTimeMillis() + 10_000;
        HttpResponse<String> after;
        do {
            Thread.sleep(200);
            after = sdkAnonymousToken(server, before, "TOGGLE", "knowledge.portalmgr.read");
        } while (after.statusCode() == 200 && System.currentTimeMillis() < deadline);
        assertError(after, 400, "unauthorized_client", "does not allow anonymous customers");
        assertThat(fetchMetadata(server, apiUrl(server) + "/core/authmgr/v3/metadata/tenant/TOGGLE")
                .path("authenticationDetails").path("oAuthAnonymousCustomer")).isEmpty();
    }
}
