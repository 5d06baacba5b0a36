package dev.portcullis.oidc;

import dev.portcullis.admin.TenantsFileException;
import dev.portcullis.admin.TenantsFileParser;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.CliRunner;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** post_logout_redirect_uris: the tenants file key and the CLI option, checked like redirect URIs and stored. */
class PostLogoutRedirectUrisTest {

    @TempDir
    Path temp;

    @Test
    void theTenantsFileChecksThemForTheClientsPlatform() {
        String yaml = """
                tenants:
                  - id: T1
                    name: One
                    clients:
                      - client_id: app
                        name: App
                        platform: native
                        redirect_uris: [ "http://127.0.0.1/callback" ]
                        post_logout_redirect_uris: [ "http://localhost/bye" ]
                """;
        assertThatThrownBy(() -> TenantsFileParser.parse(yaml, "t.yaml")).isInstanceOf(TenantsFileException.class)
                .hasMessageContaining("localhost");
        assertThatThrownBy(() -> TenantsFileParser.parse(yaml.replace("http://localhost/bye", "javascript:alert(1)"), "t.yaml"))
                .isInstanceOf(TenantsFileException.class);
    }

    @Test
    void theCliRegistersThemAndLogoutFollowsOnlyThem() throws Exception {
        Path database = temp.resolve("cli.db");
        Path config = temp.resolve("portcullis.yaml");
        Files.writeString(config, "database: " + database + "\nmaster_key: " + TestServer.MASTER_KEY
                + "\npublic_url: https://id.example.test\napi_url: https://api.example.test/\n");
        CliRunner cli = new CliRunner(config);
        cli.ok("tenant", "create", "T1", "--name", "Tenant one");
        cli.ok("scope", "create", "--tenant", "T1", "openid", "--kind", "delegated");
        cli.ok("client", "create", "--tenant", "T1", "--name", "Web", "--platform", "spa", "--client-id", "spa1", "--scope", "openid",
                "--redirect-uri", "https://app.example.com/cb", "--post-logout-redirect-uri", "https://app.example.com/bye");
        cli.fails(new String[]{"client", "create", "--tenant", "T1", "--name", "Bad", "--platform", "spa", "--client-id", "spa2",
                "--post-logout-redirect-uri", "not a uri"}, "not a uri");
        try (TestServer server = TestServer.startOnSqlite(database)) {
            ClientApplication client = new ClientRepository(server.database().sql()).find("T1", "spa1").orElseThrow();
            assertThat(client.postLogoutRedirectUris()).containsExactly("https://app.example.com/bye");
            String logout = "/system/auth/T1-U/logout?client_id=spa1&post_logout_redirect_uri=";
            assertThat(BrowserClient.location(server.get(logout + enc("https://app.example.com/bye"))))
                    .isEqualTo("https://app.example.com/bye");
            // once post-logout URIs are registered, the redirect URIs no longer serve as such
            assertThat(server.get(logout + enc("https://app.example.com/cb")).statusCode()).isEqualTo(200);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
