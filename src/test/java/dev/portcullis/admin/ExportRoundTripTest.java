package dev.portcullis.admin;

import dev.portcullis.store.Database;
import dev.portcullis.testing.CliRunner;
import dev.portcullis.testing.DatabaseSnapshot;
import dev.portcullis.testing.ScratchDatabases;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code export} writes a tenant that applies back without a change, and never a secret value or, unless asked, a password hash. */
class ExportRoundTripTest {

    /** Every section export writes, with values away from the defaults so a dropped key shows as a change. */
    private static final String FULL = ApplyDryRunTest.BASE
            .replace("name: Tenant one\n", """
                    name: "Tenant one: the \\"first\\" # not a comment"
                        access_token_ttl: 900
                        refresh_token_idle_ttl: 3600
                        refresh_token_absolute_ttl: 7200
                        signing_key_rotation_days: 30
                        signing_alg: ES256
                        access_token_typ: JWT
                        login_throttle: { account_free_failures: 7, window_seconds: 600 }
                        resources: [ "https://mcp.example.com/mcp" ]
                        client_id_metadata_documents: { enabled: false, allowed_hosts: [ claude.ai ] }
                        dynamic_registration: { enabled: true, initial_access_token: "initial-access-token-0123456789abcdef", scopes: [ user.read ] }
                        require_par: true
                        dpop: { nonce: true }
                    """)
            .replace("  - { name: app.read, kind: application }\n",
                    "  - { name: app.read, kind: application, description: \"Read: all\" }\n"
                            + "      - { name: user.read, kind: delegated }\n")
            .replace("  - { id: u2, username: dos }", "  - { id: u2, username: dos, email: dos@example.com, enabled: false }")
            .replace("password: \"first password\" }", "password: \"first password\", roles: [ partition_admin ] }")
            .replace("scopes: [ obo.read, app.read ]", "scopes: [ obo.read, app.read, portcullis.admin.api ]")
            .replace("    platform: spa\n", "    platform: spa\n        description: The single-page app\n"
                    + "        access_token_ttl: 300\n        require_pkce: true\n        consent: skip\n"
                    + "        id_token_signed_response_alg: EdDSA\n")
            .replace("    platform: web\n", "    platform: web\n        token_exchange: true\n")
            .replace("    identity_providers:\n", "    anonymous_customers: { enabled: true, scopes: [ user.read ], access_token_ttl: 600,"
                    + " requests_per_minute_per_address: 5, requests_per_minute_per_tenant: 50 }\n    identity_providers:\n")
            .replace("audiences: [ \"api://portcullis\" ] }", "audiences: [ \"api://portcullis\" ], realm: C, user_claim: sub,"
                    + " algorithms: [ ES256 ], jwks_uri: \"https://example.okta.com/keys\" }");

    @TempDir
    Path temp;
    private ScratchDatabases scratch;
    private final List<Database> open = new java.util.ArrayList<>();
    private int configs;

    @AfterEach
    void close() throws Exception {
        for (Database database : open) {
            database.close();
        }
        scratch.close();
    }

    private record Store(CliRunner cli, Database database) {
    }

    private Store newStore(StoreKind store) throws Exception {
        if (scratch == null) {
            scratch = new ScratchDatabases(temp);
        }
        String url = scratch.jdbcUrl(store);
        Path config = temp.resolve("portcullis-" + configs++ + ".yaml");
        Files.writeString(config, "database: " + url + "\nmaster_key: " + TestServer.MASTER_KEY + "\n");
        Database database = Database.open(url, 2);
        open.add(database);
        return new Store(new CliRunner(config), database);
    }

    private Path file(String name, String yaml) throws Exception {
        Path file = temp.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    /** Applies {@code exported} to {@code store}: zero changes, every object unchanged in the dry run, not a row written. */
    private void assertAppliesWithoutAChange(Store store, String exported, String name) throws Exception {
        Path file = file(name, exported);
        Map<String, List<String>> before = DatabaseSnapshot.contents(store.database().dataSource());
        String dry = store.cli().ok("apply", file.toString(), "--dry-run", "--prune").out();
        assertThat(dry.lines().filter(line -> line.startsWith("  ")))
                .isNotEmpty().allSatisfy(line -> assertThat(line).contains(": unchanged"));
        assertThat(dry).contains(" 0 change(s) would be made");
        assertThat(store.cli().ok("apply", file.toString(), "--prune").out()).contains(" 0 change(s)");
        assertThat(DatabaseSnapshot.contents(store.database().dataSource())).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExportAppliesBackWithoutAChangeAndHoldsNoSecretOrHash(StoreKind kind) throws Exception {
        Store store = newStore(kind);
        store.cli().ok("apply", file("full.yaml", FULL).toString());

        String exported = store.cli().ok("export", "--tenant", "T1").out();

        assertThat(exported).doesNotContain(ApplyDryRunTest.SECRET_A, ApplyDryRunTest.SECRET_B, "secret-a-", "secret-b-",
                "first password", "$argon2", "password_hash", "initial-access-token-", "initial_access_token:");
        assertThat(exported).contains("resources: [ \"https://mcp.example.com/mcp\" ]", "an initial access token is set",
                "require_par: true");
        assertThat(exported).contains("# secret \"primary\", created ", "# secret \"secondary\", created ")
                .doesNotContain("secrets:");
        assertThat(exported).as("roles are written; the built-in scopes only where a client names them")
                .contains("enabled: true, roles: [ \"partition_admin\" ] }", "scopes: [ \"app.read\", \"obo.read\", \"portcullis.admin.api\" ]")
                .doesNotContain("name: \"portcullis.admin");
        assertAppliesWithoutAChange(store, exported, "export.yaml");
        assertThat(store.database().sql().query("SELECT name FROM client_secrets ORDER BY name", row -> row.getString(1)))
                .as("secrets left out of the file are kept").containsExactly("primary", "secondary");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withPasswordHashesAnExportRebuildsTheTenantElsewhere(StoreKind kind) throws Exception {
        Store source = newStore(kind);
        source.cli().ok("apply", file("full.yaml", FULL).toString());
        String withHashes = source.cli().ok("export", "--tenant", "T1", "--include-password-hashes").out();
        String storedHash = source.database().sql().queryOne("SELECT password_hash FROM subjects WHERE id = 'u1'",
                row -> row.getString(1)).orElseThrow();
        assertThat(withHashes).contains("password_hash: " + YamlText.quote(storedHash)).doesNotContain("first password");
        assertAppliesWithoutAChange(source, withHashes, "with-hashes.yaml");

        Store copy = newStore(kind);
        copy.cli().ok("apply", file("copy.yaml", withHashes).toString());
        String secretComments = "(?m)^ *# (secret |an initial access token is set).*\\n";
        assertThat(copy.cli().ok("export", "--tenant", "T1", "--include-password-hashes").out())
                .as("the same tenant, but for the secrets no export can carry")
                .isEqualTo(withHashes.replaceAll(secretComments, ""));

        Path output = temp.resolve("out/t1.yaml");
        Files.createDirectories(output.getParent());
        source.cli().ok("export", "--tenant", "T1", "--include-password-hashes", "--output", output.toString());
        assertThat(Files.readString(output)).isEqualTo(withHashes);
        assertThat(Files.getPosixFilePermissions(output)).extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theDemoTenantsFileExportsAndAppliesBackWithoutAChange(StoreKind kind) throws Exception {
        Store store = newStore(kind);
        store.cli().ok("apply", Path.of("examples/demo-tenants.yaml").toString());
        String exported = store.cli().ok("export", "--tenant", "TMPRODB88619984", "--tenant", "DEMOIDP").out();
        assertThat(exported).doesNotContain("demo-secret-", "demo-idp-secret", "demo-password", "$argon2");
        assertAppliesWithoutAChange(store, exported, "demo-export.yaml");
        store.cli().fails(new String[] {"export", "--tenant", "NOPE"}, "no tenant 'NOPE'");
    }
}
