package dev.portcullis.admin;

import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.store.Database;
import dev.portcullis.testing.CliRunner;
import dev.portcullis.testing.DatabaseSnapshot;
import dev.portcullis.testing.ScratchDatabases;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code apply --dry-run} prints every object's fate exactly, secrets by name only, and writes nothing; {@code --prune} takes out the rest. */
class ApplyDryRunTest {

    static final String SECRET_A = "secret-a-0123456789abcdefghijklmnopq";
    static final String SECRET_B = "secret-b-0123456789abcdefghijklmnopq";
    static final String SECRET_C = "secret-c-0123456789abcdefghijklmnopq";

    static final String BASE = """
            tenants:
              - id: T1
                name: Tenant one
                scopes:
                  - { name: obo.read, kind: on-behalf-of }
                  - { name: app.read, kind: application }
                users:
                  - { id: u1, username: una, password: "first password" }
                  - { id: u2, username: dos }
                customers:
                  - { id: c1, email: cee@example.com, password: "customer password" }
                clients:
                  - client_id: web-1
                    name: Web one
                    platform: web
                    secrets: [ "secret-a-0123456789abcdefghijklmnopq", "secret-b-0123456789abcdefghijklmnopq" ]
                    scopes: [ obo.read, app.read ]
                  - client_id: spa-1
                    name: SPA one
                    platform: spa
                    scopes: [ obo.read ]
                    redirect_uris: [ "https://spa.example.com/cb" ]
                identity_providers:
                  - { registration_id: okta, name: Okta, issuer: "https://example.okta.com", audiences: [ "api://portcullis" ] }
            """;

    /** Every kind of entry: created, changed (with its fields), unchanged, a secret rotated, a password changed. */
    private static final String CHANGED = BASE
            .replace("name: Tenant one\n", "name: Tenant uno\n    login_throttle: { account_free_failures: 7 }\n"
                    + "    resources: [ \"https://mcp.example.com/mcp\" ]\n"
                    + "    dynamic_registration: { initial_access_token: \"" + SECRET_C + "\" }\n")
            .replace("  - { name: app.read, kind: application }\n",
                    "  - { name: app.read, kind: application }\n      - { name: user.read, kind: delegated }\n")
            .replace("password: \"first password\"", "password: \"second password\"")
            .replace("{ id: u2, username: dos }", "{ id: u2, username: dos, roles: [ partition_admin ] }")
            .replace("secrets: [ \"secret-a-0123456789abcdefghijklmnopq\", \"secret-b-0123456789abcdefghijklmnopq\" ]",
                    "secrets:\n          - { name: secondary, value: \"" + SECRET_B + "\" }\n"
                            + "          - { name: next, value: \"" + SECRET_C + "\", expires_at: 2030-01-01 }")
            .replace("    scopes: [ obo.read ]\n", "    scopes: [ obo.read, user.read ]\n")
            .replace("    identity_providers:\n", """
                      - client_id: native-1
                        name: Desktop
                        platform: native
                        scopes: [ user.read ]
                        redirect_uris: [ "http://127.0.0.1/cb" ]
                    anonymous_customers: { scopes: [ user.read ] }
                    identity_providers:
                """);

    private static final String CHANGED_REPORT = """
            tenant T1
              tenant settings: changed (name)
              login_throttle: changed (account_free_failures)
              token signing: unchanged
              authorization settings: changed (resources, dynamic_registration.initial_access_token)
              rate_limits: unchanged
              scope obo.read: unchanged
              scope app.read: unchanged
              scope user.read: created
              user u1: changed (password)
              user u2: changed (roles)
              customer c1: unchanged
              client web-1: unchanged
              client web-1 secret primary: removed
              client web-1 secret secondary: unchanged
              client web-1 secret next: created - expires 2030-01-01T00:00:00Z
              client spa-1: changed (scopes)
              client native-1: created
              identity provider okta: unchanged
              anonymous_customers: created
            """;

    @TempDir
    Path temp;
    private ScratchDatabases scratch;
    private Database database;
    private CliRunner cli;

    @AfterEach
    void close() throws Exception {
        if (database != null) {
            database.close();
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    /** A CLI on a new database of {@code store}, and a connection to read it with. */
    private void open(StoreKind store) throws Exception {
        scratch = new ScratchDatabases(temp);
        String url = scratch.jdbcUrl(store);
        Path config = temp.resolve("portcullis.yaml");
        Files.writeString(config, "database: " + url + "\nmaster_key: " + TestServer.MASTER_KEY + "\n");
        cli = new CliRunner(config);
        database = Database.open(url, 2);
    }

    private Path file(String name, String yaml) throws Exception {
        Path file = temp.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private long revision() {
        return database.sql().queryOne("SELECT revision FROM config_revision WHERE id = 1", row -> row.getLong(1)).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDryRunPrintsEachObjectsChangesExactlyAndWritesNothing(StoreKind store) throws Exception {
        open(store);
        cli.ok("apply", file("base.yaml", BASE).toString());
        Map<String, List<String>> before = DatabaseSnapshot.contents(database.dataSource());
        long revision = revision();
        Path changed = file("changed.yaml", CHANGED);

        String out = cli.ok("apply", changed.toString(), "--dry-run").out();

        assertThat(out).isEqualTo(CHANGED_REPORT + "Dry run of " + changed + ": 1 tenant(s), 11 change(s) would be made; "
                + "nothing was written.\n");
        assertThat(out).doesNotContain(SECRET_A, SECRET_B, SECRET_C, "second password", "$argon2");
        assertThat(DatabaseSnapshot.contents(database.dataSource())).as("every row of every table").isEqualTo(before);
        assertThat(revision()).as("caches are not told of a change").isEqualTo(revision);

        String applied = cli.ok("apply", changed.toString()).out();
        assertThat(applied).isEqualTo(CHANGED_REPORT.lines().filter(line -> !line.endsWith(": unchanged"))
                .map(line -> line + "\n").reduce("", String::concat) + "Applied " + changed + ": 1 tenant(s), 11 change(s)\n");
        assertThat(revision()).isGreaterThan(revision);
        assertThat(database.sql().query("SELECT name FROM client_secrets WHERE client_id = 'web-1' ORDER BY name",
                row -> row.getString(1))).containsExactly("next", "secondary");
        assertThat(database.sql().queryOne("SELECT password_hash FROM subjects WHERE id = 'u1'", row -> row.getString(1))
                .map(hash -> PasswordHasher.verify("second password", hash))).contains(true);
        assertThat(database.sql().query("SELECT subject_id || ':' || role FROM subject_roles", row -> row.getString(1)))
                .containsExactly("u2:partition_admin");

        String again = cli.ok("apply", changed.toString(), "--dry-run").out();
        assertThat(again).contains("0 change(s) would be made").doesNotContain(": created", ": changed", ": removed");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void pruneDisablesOrRemovesWhatTheFilesTenantsHoldAndTheFileDoesNot(StoreKind store) throws Exception {
        open(store);
        String extra = BASE
                .replace("  - { name: app.read, kind: application }\n", "  - { name: app.read, kind: application }\n"
                        + "      - { name: legacy.read, kind: application }\n      - { name: unused.read, kind: delegated }\n")
                .replace("  - { id: u2, username: dos }\n", "  - { id: u2, username: dos }\n      - { id: u9, username: nine }\n")
                .replace("    identity_providers:\n", """
                          - client_id: old-1
                            name: Old
                            platform: web
                            scopes: [ legacy.read ]
                        identity_providers:
                          - { registration_id: old-idp, name: Old IdP, issuer: "https://old.example.com", audiences: [ "api://x" ] }
                    """)
                + "  - id: T2\n    name: Not in the file\n    users:\n      - { id: z1, username: zed }\n";
        cli.ok("apply", file("extra.yaml", extra).toString());
        Path base = file("base.yaml", BASE);
        Map<String, List<String>> before = DatabaseSnapshot.contents(database.dataSource());

        String dry = cli.ok("apply", base.toString(), "--prune", "--dry-run").out();
        assertThat(dry.lines().filter(line -> !line.endsWith(": unchanged")).toList()).containsExactly(
                "tenant T1",
                "  user u9: disabled - not in the file",
                "  client old-1: disabled - not in the file",
                "  identity provider old-idp: removed - not in the file",
                "  scope legacy.read: kept - not in the file but held by client old-1",
                "  scope unused.read: removed - not in the file",
                "Dry run of " + base + ": 1 tenant(s), 4 change(s) would be made; nothing was written.");
        assertThat(DatabaseSnapshot.contents(database.dataSource())).isEqualTo(before);
        assertThat(cli.ok("apply", base.toString(), "--dry-run").out()).as("without --prune nothing is taken out")
                .contains("0 change(s) would be made").doesNotContain("disabled", "removed");

        assertThat(cli.ok("apply", base.toString(), "--prune").out()).endsWith(": 1 tenant(s), 4 change(s)\n");
        assertThat(database.sql().query("SELECT id FROM subjects WHERE enabled = 0", row -> row.getString(1))).containsExactly("u9");
        assertThat(database.sql().query("SELECT client_id FROM clients WHERE enabled = 0", row -> row.getString(1)))
                .containsExactly("old-1");
        assertThat(database.sql().query("SELECT registration_id FROM identity_providers", row -> row.getString(1)))
                .containsExactly("okta");
        assertThat(database.sql().query("SELECT name FROM scopes WHERE tenant_id = 'T1' ORDER BY name", row -> row.getString(1)))
                .as("the built-in scopes are in no file, and stay").containsExactly("app.read", "legacy.read", "obo.read",
                        "portcullis.admin", "portcullis.admin.api");
        assertThat(database.sql().query("SELECT id || enabled FROM subjects WHERE tenant_id = 'T2'", row -> row.getString(1)))
                .as("a tenant the file does not name is not touched").containsExactly("z11");
        assertThat(cli.ok("apply", base.toString(), "--prune").out()).endsWith(": 1 tenant(s), 0 change(s)\n");
    }

    @Test
    void aDryRunCreatesNoDatabase() throws Exception {
        Path missing = temp.resolve("missing.db");
        Path config = temp.resolve("portcullis.yaml");
        Files.writeString(config, "database: " + missing + "\nmaster_key: " + TestServer.MASTER_KEY + "\n");
        new CliRunner(config).fails(new String[] {"apply", file("base.yaml", BASE).toString(), "--dry-run"},
                "no database at " + missing);
        assertThat(missing).doesNotExist();
    }
}
