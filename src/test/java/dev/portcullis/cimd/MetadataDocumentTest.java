package dev.portcullis.cimd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a metadata document must and must not say, and what is read from it. */
class MetadataDocumentTest {

    private static final String URL = "https://client.example/mcp/client.json";

    private static MetadataDocument parse(String json) throws MetadataDocument.InvalidDocument {
        return MetadataDocument.parse(URL, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unknownMembersAreIgnoredNotRefused() throws Exception {
        MetadataDocument document = parse("""
                {"client_id": "https://client.example/mcp/client.json", "client_name": "Example MCP client",
                 "redirect_uris": ["http://127.0.0.1/callback", "https://client.example/callback"],
                 "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
                 "token_endpoint_auth_method": "none", "logo_uri": "https://client.example/logo.png",
                 "software_id": "x", "x-vendor-extension": {"nested": [1, 2, {"deep": true}]}, "jwks": {"keys": []}}
                """);
        assertThat(document.clientId()).isEqualTo(URL);
        assertThat(document.clientName()).contains("Example MCP client");
        assertThat(document.redirectUris()).containsExactly("http://127.0.0.1/callback", "https://client.example/callback");
        assertThat(document.postLogoutRedirectUris()).isEmpty();
        assertThat(document.scope()).isEmpty();
    }

    @Test
    void theMinimalDocumentIsClientIdAndRedirectUris() throws Exception {
        MetadataDocument document = parse("{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"com.example.app:/cb\"]}");
        assertThat(document.clientName()).isEmpty();
        assertThat(document.redirectUris()).containsExactly("com.example.app:/cb");
    }

    @Test
    void scopeAndPostLogoutRedirectUrisAreRead() throws Exception {
        MetadataDocument document = parse("{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],"
                + "\"post_logout_redirect_uris\":[\"https://client.example/bye\"],\"scope\":\"read  write\"}");
        assertThat(document.scope()).isEqualTo(Optional.of(Set.of("read", "write")));
        assertThat(document.postLogoutRedirectUris()).containsExactly("https://client.example/bye");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // client_id must be the URL exactly: simple string comparison (RFC 3986 section 6.2.1)
            "{\"client_id\":\"https://client.example/mcp/other.json\",\"redirect_uris\":[\"https://client.example/cb\"]} | not its own URL",
            "{\"client_id\":\"https://client.example/mcp/client.json/\",\"redirect_uris\":[\"https://client.example/cb\"]} | not its own URL",
            "{\"client_id\":\"https://CLIENT.example/mcp/client.json\",\"redirect_uris\":[\"https://client.example/cb\"]} | not its own URL",
            "{\"redirect_uris\":[\"https://client.example/cb\"]} | has no client_id",
            "{\"client_id\":42,\"redirect_uris\":[\"https://client.example/cb\"]} | has no client_id",
            // a public client: no shared secret of any kind
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],\"client_secret\":\"s3cret\"} | client_secret",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],\"client_secret_expires_at\":0} | client_secret",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],\"token_endpoint_auth_method\":\"client_secret_basic\"} | must be none",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],\"token_endpoint_auth_method\":\"client_secret_post\"} | must be none",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],\"token_endpoint_auth_method\":\"private_key_jwt\"} | must be none",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],\"token_endpoint_auth_method\":null} | must be none",
            // redirect URIs: required, and each one a native app may register (RFC 8252)
            "{\"client_id\":\"" + URL + "\"} | has no redirect_uris",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[]} | non-empty array",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":\"https://client.example/cb\"} | non-empty array",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[7]} | not a string",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"http://client.example/cb\"]} | loopback address",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"http://localhost:8080/cb\"]} | not localhost",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"javascript:alert(1)\"]} | never allowed",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb#x\"]} | fragment",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],\"post_logout_redirect_uris\":[\"http://evil.example/\"]} | post_logout_redirect_uris",
            // known members of the wrong type
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],\"client_name\":{\"en\":\"x\"}} | client_name",
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],\"scope\":[\"read\"]} | scope",
            // not a document
            "[] | not a JSON object",
            "\"https://client.example/mcp/client.json\" | not a JSON object",
            "<html>hello</html> | not valid JSON",
            "{\"client_id\":\"" + URL + "\", | not valid JSON",
            // a member twice would let two readers see two documents
            "{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],\"redirect_uris\":[\"https://evil.example/cb\"]} | appears twice"})
    void aDocumentThatCannotDescribeAPublicClientIsRefusedWithTheReason(String json, String reason) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(MetadataDocument.InvalidDocument.class).hasMessageContaining(reason);
    }

    @Test
    void tooManyRedirectUrisAreRefused() {
        StringBuilder uris = new StringBuilder();
        for (int i = 0; i <= MetadataDocument.MAX_REDIRECT_URIS; i++) {
            uris.append(i == 0 ? "" : ",").append("\"https://client.example/cb").append(i).append('"');
        }
        assertThatThrownBy(() -> parse("{\"client_id\":\"" + URL + "\",\"redirect_uris\":[" + uris + "]}"))
                .hasMessageContaining("more than " + MetadataDocument.MAX_REDIRECT_URIS);
    }

    @Test
    void theNameLosesControlAndDirectionCharactersAndIsShortened() throws Exception {
        String name = "Good\u202Eevil\u0000 App\n\tName " + "x".repeat(200);
        MetadataDocument document = parse("{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],"
                + "\"client_name\":\"" + name.replace("\u0000", "\\u0000").replace("\n", "\\n").replace("\t", "\\t") + "\"}");
        assertThat(document.clientName()).hasValueSatisfying(cleaned -> {
            assertThat(cleaned).startsWith("Good evil App Name xxx").doesNotContain("\u202E", "\u0000", "\n", "\t").endsWith("…");
            assertThat(cleaned.codePointCount(0, cleaned.length())).isLessThanOrEqualTo(MetadataDocument.MAX_NAME_LENGTH + 1);
        });
        MetadataDocument blank = parse("{\"client_id\":\"" + URL + "\",\"redirect_uris\":[\"https://client.example/cb\"],"
                + "\"client_name\":\"\\u202E \\u0007\"}");
        assertThat(blank.clientName()).isEmpty();
    }
}
