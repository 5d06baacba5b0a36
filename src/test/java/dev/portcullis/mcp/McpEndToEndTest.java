package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.NodeScript;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real MCP deployment: examples/mcp/server.mjs (the official TypeScript SDK's server, its bearer-auth middleware and
 * RFC 9728 metadata naming a Portcullis realm) and examples/mcp/client.mjs (the SDK's client with its OAuth support).
 * The client meets the server's 401, discovers the realm, signs in with PKCE through the real login and consent pages
 * (driven here), and gets a token bound to the server (RFC 8707), with which its tool call succeeds; a token of the
 * same realm for another resource, or for the api_url, is refused by the server.
 */
class McpEndToEndTest {

    static final Path EXAMPLE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("examples/mcp");
    private static final String TENANT = "MCPE2E";
    private static final String REDIRECT = "http://127.0.0.1:33418/callback";
    private static final String OTHER = "https://other.example.com/mcp";
    private static final String WORKER_SECRET = "worker-secret-0123456789abcdefghijklmn";

    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void requireNode() {
        NodeScript.assumeInstalled(EXAMPLE, "@modelcontextprotocol/sdk");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String tenantsYaml(String mcpResource) {
        return """
                tenants:
                  - id: MCPE2E
                    name: MCP end to end
                    resources: [ "%s", "%s" ]
                    scopes:
                      - { name: mcp.tools, kind: delegated, description: Use the MCP server's tools }
                      - { name: app.read, kind: application }
                    users:
                      - { id: "u1", username: una, password: "una-password-123" }
                    clients:
                      - client_id: mcp-agent
                        name: MCP agent
                        platform: native
                        scopes: [ mcp.tools ]
                        redirect_uris: [ "%s" ]
                      - client_id: worker
                        name: Worker
                        platform: web
                        secrets: [ "%s" ]
                        scopes: [ app.read ]
                """.formatted(mcpResource, OTHER, REDIRECT, WORKER_SECRET);
    }

    /** Starts Portcullis and the MCP server; returns the MCP server's URL. */
    private String startServers(StoreKind store, TestServer[] portcullis) throws Exception {
        int mcpPort = freePort();
        String resource = "http://127.0.0.1:" + mcpPort + "/mcp";
        TestServer server = TestServer.start(store, tenantsYaml(resource));
        running.add(server);
        portcullis[0] = server;
        NodeScript mcpServer = NodeScript.start(EXAMPLE, "server.mjs", "--issuer", server.baseUrl() + "/system/auth/" + TENANT + "-U",
                "--port", Integer.toString(mcpPort));
        running.add(mcpServer);
        assertThat(mcpServer.awaitLine("LISTENING ")).startsWith(resource);
        return resource;
    }

    /** Runs the client: it signs in through the pages as una and calls whoami; returns its RESULT. */
    private JsonNode runClient(TestServer server, String resource, String... identity) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("client.mjs", "--server", resource, "--redirect-uri", REDIRECT));
        arguments.addAll(List.of(identity));
        NodeScript client = NodeScript.start(EXAMPLE, arguments.toArray(String[]::new));
        running.add(client);
        String authorize = client.awaitLine("AUTHORIZE ");
        assertThat(authorize).startsWith(server.baseUrl() + "/system/auth/" + TENANT + "-U/oauth2/authorize?")
                .contains("code_challenge_method=S256", "resource=" + java.net.URLEncoder.encode(resource, java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> callback = SignInFlow.signIn(new BrowserClient(server.baseUrl()), authorize, "username", "una",
                "una-password-123");
        client.writeLine(BrowserClient.location(callback));
        JsonNode result = new ObjectMapper().readTree(client.awaitLine("RESULT "));
        assertThat(client.awaitExit()).as(client.output()).isZero();
        return result;
    }

    private static HttpResponse<String> callMcp(TestServer server, String resource, String accessToken) {
        return server.send(HttpRequest.newBuilder(URI.create(resource))
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")).build());
    }

    private static void assertBoundTokenCalledTheTool(JsonNode result, String resource, String clientId) throws Exception {
        assertThat(result.path("result").path("content").get(0).path("text").asText())
                .isEqualTo("Hi, una (client " + clientId + ", scopes mcp.tools)");
        SignedJWT token = SignedJWT.parse(result.path("tokens").path("access_token").asText());
        assertThat(token.getJWTClaimsSet().getAudience()).containsExactly(resource);
        assertThat(token.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(result.path("tokens").path("refresh_token").asText()).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRegisteredClientDiscoversSignsInAndCallsAToolWithATokenBoundToTheServer(StoreKind store) throws Exception {
        TestServer[] portcullis = new TestServer[1];
        String resource = startServers(store, portcullis);
        TestServer server = portcullis[0];
        JsonNode result = runClient(server, resource, "--client-id", "mcp-agent");
        assertBoundTokenCalledTheTool(result, resource, "mcp-agent");

        // the same token works; a token of the same realm for another resource or for the api_url does not
        assertThat(callMcp(server, resource, result.path("tokens").path("access_token").asText()).statusCode()).isEqualTo(200);
        String forOther = json(server.postForm("/system/auth/" + TENANT + "-U/oauth2/token", form("grant_type", "client_credentials",
                "client_id", "worker", "client_secret", WORKER_SECRET, "scope", "app.read", "resource", OTHER)))
                .path("access_token").asText();
        assertThat(SignedJWT.parse(forOther).getJWTClaimsSet().getAudience()).containsExactly(OTHER);
        HttpResponse<String> refused = callMcp(server, resource, forOther);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("invalid_token", "resource_metadata=\"http://127.0.0.1:");
        String forApi = assertToken(server.postForm("/system/auth/" + TENANT + "-U/oauth2/token", form("grant_type",
                "client_credentials", "client_id", "worker", "client_secret", WORKER_SECRET, "scope", "app.read"))).serialize();
        assertThat(callMcp(server, resource, forApi).statusCode()).isEqualTo(401);
    }
}
