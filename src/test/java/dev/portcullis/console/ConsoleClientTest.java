package dev.portcullis.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.admin.TenantsFileException;
import dev.portcullis.admin.TenantsFileParser;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.CliRunner;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The console's built-in client, over HTTP without a browser: every tenant has it without storing it, it signs an
 * administrator in with PKCE and no consent page, returns only to this server's /admin/callback, and its id is reserved.
 */
class ConsoleClientTest {

    static final String VERIFIER = "console-test-verifier-0123456789abcdefghijklmnopq";

    private static final ServersPerStore SERVERS = new ServersPerStore(ConsoleTenants.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    static String challenge(String verifier) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    static String authorizePath(String tenant, String redirectUri, String challenge) {
        return "/system/auth/" + tenant + "-U/oauth2/authorize?client_id=portcullis-console&response_type=code"
                + "&redirect_uri=" + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8) + "&scope=portcullis.admin"
                + "&state=s-123" + (challenge == null ? "" : "&code_challenge=" + challenge + "&code_challenge_method=S256");
    }

    /** Signs in through the realm's login page as the console does, and redeems the code; returns the access token. */
    static String consoleToken(TestServer server, String tenant, String username, String password) throws Exception {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String callback = server.baseUrl() + "/admin/callback";
        HttpResponse<String> redirect = SignInFlow.signIn(browser, authorizePath(tenant, callback, challenge(VERIFIER)),
                "username", username, password);
        assertThat(BrowserClient.location(redirect)).startsWith(callback + "?code=");
        Map<String, String> params = BrowserClient.redirectParams(redirect);
        assertThat(params).containsEntry("state", "s-123");
        HttpResponse<String> token = server.postForm("/system/auth/" + tenant + "-U/oauth2/token", form("grant_type",
                "authorization_code", "code", params.get("code"), "redirect_uri", callback, "client_id", "portcullis-console",
                "code_verifier", VERIFIER));
        return assertToken(token).serialize();
    }

    static HttpResponse<String> adminGet(TestServer server, String token, String path) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/api/v1" + path))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyTenantSignsItsAdministratorInThroughTheBuiltInClientWithoutAConsentPage(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        String token = consoleToken(server, ConsoleTenants.ACME, "pa", ConsoleTenants.PA_PASSWORD);
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getStringClaim("client_id")).isEqualTo("portcullis-console");
        assertThat(claims.getStringClaim("scope")).isEqualTo("portcullis.admin");
        assertThat(claims.getStringClaim("username")).isEqualTo("pa");

        HttpResponse<String> clients = adminGet(server, token, "/tenants/ACME/clients");
        assertThat(clients.statusCode()).as(clients.body()).isEqualTo(200);
        // built in, not stored: the tenant's client list does not show it
        assertThat(json(clients).path("items").findValuesAsText("client_id")).containsExactly("automation");

        String other = consoleToken(server, ConsoleTenants.GLOBEX, "gadmin", ConsoleTenants.GLOBEX_PASSWORD);
        assertThat(adminGet(server, other, "/tenants/GLOBEX/clients").statusCode()).isEqualTo(200);
        assertThat(adminGet(server, other, "/tenants/ACME/clients").statusCode()).isEqualTo(403);

        String agent = consoleToken(server, ConsoleTenants.ACME, "agent", ConsoleTenants.AGENT_PASSWORD);
        HttpResponse<String> refused = adminGet(server, agent, "/tenants/ACME/clients");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).path("detail").asText()).contains("partition_admin");
    }

    @Test
    void theConsoleClientReturnsOnlyToThisServersCallbackAndOnlyWithPkce() throws Exception {
        TestServer server = SERVERS.get(StoreKind.SQLITE);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> elsewhere = browser.get(authorizePath("ACME", "https://attacker.example/admin/callback",
                challenge(VERIFIER)));
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.headers().firstValue("Location")).isEmpty();

        HttpResponse<String> withoutPkce = browser.get(authorizePath("ACME", server.baseUrl() + "/admin/callback", null));
        assertThat(BrowserClient.location(withoutPkce)).startsWith(server.baseUrl() + "/admin/callback?error=invalid_request");
    }

    @Test
    void noTenantsFileMayRegisterTheConsolesClientId() {
        String file = """
                tenants:
                  - id: ACME
                    name: Acme
                    clients:
                      - { client_id: portcullis-console, name: Mine, platform: spa, redirect_uris: [ "https://app.example.com/cb" ] }
                """;
        assertThatThrownBy(() -> TenantsFileParser.parse(file, "tenants.yaml"))
                .isInstanceOf(TenantsFileException.class)
                .hasMessageContaining("client_id 'portcullis-console' is reserved for the built-in web console");
    }

    @Test
    void norTheCommandLine(@TempDir Path temp) throws Exception {
        Path config = temp.resolve("portcullis.yaml");
        Files.writeString(config, "database: " + temp.resolve("cli.db") + "\nmaster_key: " + TestServer.MASTER_KEY + "\n");
        CliRunner cli = new CliRunner(config);
        cli.ok("tenant", "create", "T1", "--name", "Tenant one");
        cli.fails(new String[] {"client", "create", "--tenant", "T1", "--client-id", "portcullis-console", "--name", "Mine",
                "--platform", "spa", "--redirect-uri", "https://app.example.com/cb"}, "reserved for the built-in web console");
    }

    @Test
    void norMayTheAdminApi() {
        TestServer server = SERVERS.get(StoreKind.SQLITE);
        HttpResponse<String> refused = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/admin/api/v1/tenants/ACME/clients"))
                .header("Authorization", "Bearer " + ConsoleTenants.automationToken(server))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        { "client_id": "portcullis-console", "name": "Mine", "platform": "spa",
                          "redirect_uris": [ "https://app.example.com/cb" ] }""")).build());
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode problem = json(refused);
        assertThat(problem.path("field").asText()).isEqualTo("client_id");
        assertThat(problem.path("detail").asText()).contains("reserved for the built-in web console");
    }
}
