package dev.portcullis.cimd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.grant.Pkce;
import dev.portcullis.testing.LoopbackHttpsServer;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Three tenants (documents on by default, documents off, documents only from localhost), servers of each store that
 * may fetch documents from loopback (the test-only switch), and an https server on 127.0.0.1 that serves the
 * clients' documents, each naming its own URL with the server's port.
 */
final class MetadataDocumentFixture implements AutoCloseable {

    static final String TENANT = "TCIMD0001";
    static final String OFF = "TCIMDOFF1";
    static final String LISTED = "TCIMDLIST";
    static final String USERS = "/system/auth/" + TENANT + "-U";
    static final String CUSTOMERS = "/system/auth/" + TENANT + "-C";
    static final String PASSWORD = "password-of-pa-0001";
    static final String READ = "mcp.tools.read";
    static final String WRITE = "mcp.tools.write";
    static final String APP = "app.reports";
    static final String OBO = "knowledge.onbehalfof.read";
    static final String VERIFIER = "metadata-document-verifier-0123456789abcdefghijklmnop";
    /** A desktop client's loopback redirect on the port it happened to open: registered without a port. */
    static final String LOOPBACK_REDIRECT = "http://127.0.0.1:49152/callback";
    static final String WEB_REDIRECT = "https://client.example/callback";
    /** A name a hostile document might give, which every page must show as text. */
    static final String HOSTILE_NAME = "Loopback <b>MCP</b> \"tool\" <script>alert(1)</script>";

    static final String YAML = """
            tenants:
              - id: TCIMD0001
                name: Metadata documents tenant
                scopes:
                  - { name: mcp.tools.read, kind: delegated, description: Read MCP tools }
                  - { name: mcp.tools.write, kind: delegated, description: Use MCP tools }
                  - { name: app.reports, kind: application }
                  - { name: knowledge.onbehalfof.read, kind: on-behalf-of }
                users:
                  - { id: "1001", username: pa, password: "%1$s" }
                customers:
                  - { id: "c-2001", email: jane@example.com, password: "%1$s" }
              - id: TCIMDOFF1
                name: No metadata documents
                client_id_metadata_documents: { enabled: false }
                scopes:
                  - { name: mcp.tools.read, kind: delegated }
              - id: TCIMDLIST
                name: Listed hosts only
                client_id_metadata_documents: { allowed_hosts: [ localhost ] }
                scopes:
                  - { name: mcp.tools.read, kind: delegated }
            """.formatted(PASSWORD);

    final LoopbackHttpsServer documents = new LoopbackHttpsServer();
    final ServersPerStore servers = new ServersPerStore(store -> TestServer.start(store, YAML,
            Map.of("client_id_metadata_documents_allow_loopback", "true")));

    MetadataDocumentFixture() {
        // a desktop client: loopback only, a name full of markup, and members this server does not know
        documents.json("/clients/desktop.json", """
                {"client_id": "%s", "client_name": %s, "redirect_uris": ["http://127.0.0.1/callback"],
                 "grant_types": ["authorization_code", "refresh_token"], "token_endpoint_auth_method": "none",
                 "software_statement_hint": {"unknown": ["member"]}, "logo_uri": "https://client.example/logo.png"}
                """.formatted(loopbackClient(), jsonString(HOSTILE_NAME)), "Cache-Control", "max-age=600");
        // a hosted client asking for read only (the application scope it names is not delegated, so never given)
        documents.json("/clients/web.json", """
                {"client_id": "%s", "client_name": "Web MCP client", "redirect_uris": ["%s"],
                 "scope": "mcp.tools.read app.reports"}
                """.formatted(webClient(), WEB_REDIRECT));
        documents.json("/clients/local.json", """
                {"client_id": "%s", "redirect_uris": ["http://127.0.0.1/callback"]}
                """.formatted(documents.localhostUrl("/clients/local.json")));
    }

    String loopbackClient() {
        return documents.url("/clients/desktop.json");
    }

    String webClient() {
        return documents.url("/clients/web.json");
    }

    TestServer server(StoreKind store) {
        return servers.get(store);
    }

    static String jsonString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static Map<String, String> authorizeParams(String clientId, String redirectUri, String scope, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", clientId);
        params.put("response_type", "code");
        params.put("redirect_uri", redirectUri);
        params.put("scope", scope);
        params.put("state", state);
        params.put("code_challenge", Pkce.s256(VERIFIER));
        params.put("code_challenge_method", "S256");
        return params;
    }

    static String authorizePath(String realm, Map<String, String> params) {
        return realm + "/oauth2/authorize?" + TestServer.encode(params);
    }

    /** A token request whose code is made up: a client that resolves gets invalid_grant, one that does not invalid_client. */
    static HttpResponse<String> redeemMadeUpCode(TestServer server, String realm, String clientId) {
        return server.postForm(realm + "/oauth2/token", OAuthResponses.form("grant_type", "authorization_code",
                "code", "made-up-code-0123456789", "redirect_uri", LOOPBACK_REDIRECT, "client_id", clientId,
                "code_verifier", VERIFIER));
    }

    static JsonNode metadata(TestServer server, String tenant, String document) {
        String path = document.equals("openid") ? "/system/auth/" + tenant + "-U/.well-known/openid-configuration"
                : "/.well-known/oauth-authorization-server/system/auth/" + tenant + "-U";
        HttpResponse<String> response = server.get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return OAuthResponses.json(response);
    }

    @Override
    public void close() {
        servers.close();
        documents.close();
    }
}
