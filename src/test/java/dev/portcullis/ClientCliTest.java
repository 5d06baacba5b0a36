package dev.portcullis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testing.CliRunner;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/** The client commands for eGain's model: native clients, descriptions, named secrets and the Metadata view. */
class ClientCliTest {

    private static final Pattern SECRET = Pattern.compile("client_secret: (\\S+)");
    private static final String TOKEN = "/system/auth/T1-U/oauth2/token";

    @TempDir
    Path temp;
    private CliRunner cli;
    private Path database;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void configure() throws Exception {
        database = temp.resolve("clients.db");
        Path config = temp.resolve("portcullis.yaml");
        Files.writeString(config, "database: " + database + "\nmaster_key: " + TestServer.MASTER_KEY
                + "\npublic_url: https://id.example.test\napi_url: https://api.example.test/\n");
        cli = new CliRunner(config);
        cli.ok("tenant", "create", "T1", "--name", "Tenant one");
        cli.ok("scope", "create", "--tenant", "T1", "app.read", "--kind", "application");
        cli.ok("scope", "create", "--tenant", "T1", "obo.read", "--kind", "on-behalf-of");
        cli.ok("scope", "create", "--tenant", "T1", "user.read", "--kind", "delegated");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    private static String secretOf(CliRunner.Run run) {
        Matcher matcher = SECRET.matcher(run.out());
        assertThat(matcher.find()).as("a client_secret line in %s", run.out()).isTrue();
        String secret = matcher.group(1);
        assertThat(matcher.find()).as("printed once").isFalse();
        return secret;
    }

    private static String[] args(String... args) {
        return args;
    }

    @Test
    void aNativeClientIsCreatedWithADescriptionAndLoopbackRedirectsButNoSecret() {
        CliRunner.Run created = cli.ok("client", "create", "--tenant", "T1", "--name", "Desktop", "--platform", "native",
                "--client-id", "desk", "--description", "The desktop app", "--scope", "user.read",
                "--redirect-uri", "http://127.0.0.1/callback", "--redirect-uri", "com.example.desktop:/cb");
        assertThat(created.out()).contains("client_id:     desk").doesNotContain("client_secret");
        assertThat(cli.ok("client", "list", "--tenant", "T1").out()).contains("desk\tnative\ttrue\t0\tuser.read\tDesktop\tThe desktop app");

        cli.fails(args("client", "secret-add", "--tenant", "T1", "desk"), "native (public) client and cannot have secrets");
        cli.fails(args("client", "create", "--tenant", "T1", "--name", "X", "--platform", "native", "--redirect-uri",
                "http://localhost/callback"), "not localhost");
        cli.fails(args("client", "create", "--tenant", "T1", "--name", "X", "--platform", "native", "--redirect-uri",
                "desktop:/callback"), "reverse domain name");
        cli.fails(args("client", "create", "--tenant", "T1", "--name", "X", "--platform", "desktop"), "web, spa or native");
        cli.fails(args("client", "create", "--tenant", "T1", "--name", "X", "--platform", "web", "--description", "d".repeat(1001)),
                "at most 1000 characters");
    }

    @Test
    void changesMadeWithTheCommandLineAreAuditedWithoutValues() throws Exception {
        String secret = secretOf(cli.ok("client", "create", "--tenant", "T1", "--name", "Audited", "--platform", "web",
                "--client-id", "audited", "--scope", "app.read"));
        cli.ok("client", "disable", "--tenant", "T1", "audited");
        try (dev.portcullis.store.Database db = dev.portcullis.store.Database.open("jdbc:sqlite:" + database, 1)) {
            java.util.List<String> events = db.sql().query("SELECT action, resource, actor_client, changes FROM audit_events "
                    + "WHERE tenant_id = 'T1' ORDER BY id", row -> String.join(" ", row.getString(1), row.getString(2),
                    row.getString(3), row.getString(4)));
            assertThat(events).contains("scope.created scopes/app.read portcullis cli {}",
                    "client.created clients/audited portcullis cli {}", "client.disabled clients/audited portcullis cli {}");
            assertThat(String.join("\n", events)).doesNotContain(secret);
        }
    }

    @Test
    void secretsAreAddedByNameListedByNameAndExpiryAndRemovedByNameOrId() throws Exception {
        String primary = secretOf(cli.ok("client", "create", "--tenant", "T1", "--name", "Sync", "--platform", "web",
                "--client-id", "sync", "--scope", "app.read"));
        CliRunner.Run added = cli.ok("client", "secret-add", "--tenant", "T1", "sync", "--name", "rotation-2027",
                "--expires", "2027-01-31");
        String rotation = secretOf(added);
        assertThat(added.out()).contains("name:          rotation-2027");

        CliRunner.Run listed = cli.ok("client", "secret-list", "--tenant", "T1", "sync");
        assertThat(listed.out()).doesNotContain(primary, rotation);
        List<String[]> rows = listed.out().lines().skip(1).map(line -> line.split("\t")).toList();
        assertThat(listed.out().lines().findFirst()).contains("NAME\tSECRET_ID\tCREATED\tEXPIRES");
        assertThat(rows).extracting(row -> row[0]).containsExactly("primary", "rotation-2027");
        assertThat(rows).extracting(row -> row[3]).containsExactly("never", "2027-01-31T00:00:00Z");
        String primaryId = rows.get(0)[1];

        TestServer server = TestServer.startOnSqlite(database);
        cleanup.add(server);
        assertToken(server.postForm(TOKEN, cc("sync", primary)));
        assertToken(server.postForm(TOKEN, cc("sync", rotation)));

        cli.fails(args("client", "secret-add", "--tenant", "T1", "sync", "--name", "third"), "already has 2 secrets");
        assertThat(cli.ok("client", "secret-remove", "--tenant", "T1", "sync", "rotation-2027").out())
                .contains("Removed secret rotation-2027 from client sync");
        cli.fails(args("client", "secret-add", "--tenant", "T1", "sync", "--name", "primary"), "already has a secret named primary");
        CliRunner.Run unnamed = cli.ok("client", "secret-add", "--tenant", "T1", "sync");
        assertThat(unnamed.out()).as("the first free default name").contains("name:          secondary");

        assertThat(cli.ok("client", "secret-remove", "--tenant", "T1", "sync", primaryId).out()).contains("Removed secret primary");
        assertError(eventually(() -> server.postForm(TOKEN, cc("sync", primary)), 400), 400, "invalid_client");
        assertToken(server.postForm(TOKEN, cc("sync", secretOf(unnamed))));
        cli.fails(args("client", "secret-remove", "--tenant", "T1", "sync", "rotation-2027"), "has no secret named rotation-2027");
        cli.fails(args("client", "secret-add", "--tenant", "T1", "sync", "--name", "n".repeat(65)), "--name");
    }

    @Test
    void metadataShowsTheConsolesFourUrlsAndLeavesOutTheAuthorizationUrlForNonInteractiveClients() throws Exception {
        cli.ok("client", "create", "--tenant", "T1", "--name", "Interactive web", "--platform", "web", "--client-id", "web-ui",
                "--scope", "user.read", "--scope", "app.read", "--redirect-uri", "https://app.example.com/cb");
        cli.ok("client", "create", "--tenant", "T1", "--name", "Machine", "--platform", "web", "--client-id", "machine",
                "--scope", "app.read", "--scope", "obo.read");
        cli.ok("client", "create", "--tenant", "T1", "--name", "Desktop", "--platform", "native", "--client-id", "desk",
                "--redirect-uri", "http://127.0.0.1/callback");

        String plain = cli.ok("client", "metadata", "--tenant", "T1", "web-ui").out();
        assertThat(plain.lines().toList()).containsExactly(
                "Authorization URL:  https://id.example.test/system/auth/T1-U/oauth2/authorize",
                "Access Token URL:   https://id.example.test/system/auth/T1-U/oauth2/token",
                "Domain URL:         https://api.example.test",
                "Metadata URL:       https://api.example.test/core/authmgr/v3/metadata/tenant/T1");

        JsonNode web = new ObjectMapper().readTree(cli.ok("client", "metadata", "--tenant", "T1", "web-ui", "--json").out());
        assertThat(web.toString()).isEqualTo("{\"authorization_url\":\"https://id.example.test/system/auth/T1-U/oauth2/authorize\","
                + "\"access_token_url\":\"https://id.example.test/system/auth/T1-U/oauth2/token\","
                + "\"domain_url\":\"https://api.example.test\","
                + "\"metadata_url\":\"https://api.example.test/core/authmgr/v3/metadata/tenant/T1\"}");

        String machine = cli.ok("client", "metadata", "--tenant", "T1", "machine").out();
        assertThat(machine).doesNotContain("Authorization URL").contains("Access Token URL:   https://id.example.test/system/auth/T1-U/oauth2/token");
        JsonNode machineJson = new ObjectMapper().readTree(cli.ok("client", "metadata", "--tenant", "T1", "machine", "--json").out());
        assertThat(machineJson.has("authorization_url")).isFalse();
        assertThat(machineJson.get("metadata_url").asText()).isEqualTo("https://api.example.test/core/authmgr/v3/metadata/tenant/T1");

        JsonNode desktop = new ObjectMapper().readTree(cli.ok("client", "metadata", "--tenant", "T1", "desk", "--json").out());
        assertThat(desktop.get("authorization_url").asText()).as("a public client signs in even with no scope yet")
                .isEqualTo("https://id.example.test/system/auth/T1-U/oauth2/authorize");

        cli.fails(args("client", "metadata", "--tenant", "T1", "ghost"), "no client ghost");
    }

    private static Map<String, String> cc(String clientId, String secret) {
        return form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret, "scope", "app.read");
    }

    private static HttpResponse<String> eventually(Supplier<HttpResponse<String>> request, int status) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        HttpResponse<String> response = request.get();
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = request.get();
        }
        return response;
    }
}
