package dev.portcullis.admin;

import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.grant.Pkce;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreException;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.TenantRepository;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.CliRunner;
import dev.portcullis.testing.ScratchDatabases;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * portcullis.admin and portcullis.admin.api: every tenant has them however it was created, clients name them without
 * the file defining them, no file may define them, export and prune leave them out, and grants treat them by kind.
 */
class BuiltInScopesTest {

    static final String AUTOMATION_SECRET = "automation-secret-0123456789abcdefghij";
    static final String CONSOLE_REDIRECT = "https://console.example.com/cb";
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk0123456789";

    static final String YAML = """
            tenants:
              - id: T1
                name: Tenant one
                scopes:
                  - { name: obo.read, kind: on-behalf-of }
                users:
                  - { id: u1, username: una, password: "password-of-una" }
                clients:
                  - client_id: automation
                    name: Automation
                    platform: web
                    secrets: [ "automation-secret-0123456789abcdefghij" ]
                    scopes: [ portcullis.admin.api, portcullis.admin, obo.read ]
                  - client_id: console
                    name: Admin console
                    platform: spa
                    scopes: [ portcullis.admin, portcullis.admin.api ]
                    redirect_uris: [ "https://console.example.com/cb" ]
            """;
    private static final String TOKEN = "/system/auth/T1-U/oauth2/token";

    @TempDir
    Path temp;
    private ScratchDatabases scratch;
    private Database open;

    @AfterEach
    void close() throws Exception {
        if (open != null) {
            open.close();
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    private record Store(String url, CliRunner cli, Database database) {
    }

    private Store store(StoreKind kind) throws Exception {
        scratch = new ScratchDatabases(temp);
        String url = scratch.jdbcUrl(kind);
        Path config = temp.resolve("portcullis.yaml");
        Files.writeString(config, "database: " + url + "\nmaster_key: " + TestServer.MASTER_KEY + "\n");
        open = Database.open(url, 2);
        return new Store(url, new CliRunner(config), open);
    }

    private Path file(String name, String yaml) throws Exception {
        return Files.writeString(temp.resolve(name), yaml);
    }

    private static List<ScopeDefinition> builtIns(Database database, String tenantId) {
        return new TenantRepository(database.sql()).find(tenantId).orElseThrow().scopes().values().stream()
                .filter(scope -> BuiltInScopes.isBuiltIn(scope.name())).toList();
    }

    @Test
    void aClientNamesTheBuiltInScopesWithoutTheFileDefiningThem() {
        TenantsFile file = TenantsFileParser.parse(YAML, "t.yaml");
        assertThat(file.tenants().get(0).clients().get(0).scopes())
                .containsExactly(BuiltInScopes.ADMIN_API, BuiltInScopes.ADMIN, "obo.read");
        assertThat(file.tenants().get(0).scopes()).extracting(TenantsFile.ScopeSpec::name).containsExactly("obo.read");
    }

    @Test
    void aTenantsFileMayNotDefineABuiltInScope() {
        String defines = YAML.replace("  - { name: obo.read, kind: on-behalf-of }\n",
                "  - { name: obo.read, kind: on-behalf-of }\n      - { name: portcullis.admin.api, kind: application }\n");
        assertThatThrownBy(() -> TenantsFileParser.parse(defines, "t.yaml")).isInstanceOf(TenantsFileException.class)
                .hasMessage("t.yaml:6: portcullis.admin.api is built in; clients may name it without defining it");

        String anonymous = YAML.replace("    users:\n", "    anonymous_customers: { scopes: [ portcullis.admin ] }\n    users:\n");
        assertThatThrownBy(() -> TenantsFileParser.parse(anonymous, "t.yaml")).isInstanceOf(TenantsFileException.class)
                .hasMessageContaining("built-in scope 'portcullis.admin', which is for administrators only");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyNewTenantHasThemHoweverItIsCreated(StoreKind kind) throws Exception {
        Store store = store(kind);
        store.cli().ok("apply", file("t.yaml", YAML).toString());
        store.cli().ok("tenant", "create", "T2", "--name", "From the CLI");
        new TenantsFileApplier(store.database().sql(), TestServer.secretHasher(), Clock.systemUTC()).apply(DemoTenant.load());

        for (String tenant : List.of("T1", "T2", "TMPRODB88619984")) {
            assertThat(builtIns(store.database(), tenant)).as(tenant).containsExactlyInAnyOrderElementsOf(BuiltInScopes.ALL);
        }
        store.cli().fails(new String[] {"scope", "create", "--tenant", "T2", "portcullis.admin", "--kind", "delegated"},
                "portcullis.admin is built in; clients may name it without defining it");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void exportLeavesThemOutPruneKeepsThemAndApplyingTheExportChangesNothing(StoreKind kind) throws Exception {
        Store store = store(kind);
        store.cli().ok("apply", file("t.yaml", YAML).toString());
        // a client that held a built-in scope is gone from the file: prune disables it and still keeps the scopes
        store.cli().ok("apply", file("no-clients.yaml", YAML.substring(0, YAML.indexOf("    clients:"))).toString(), "--prune");
        store.cli().ok("apply", file("t.yaml", YAML).toString());

        String exported = store.cli().ok("export", "--tenant", "T1").out();
        assertThat(exported).doesNotContain("name: \"portcullis.admin")
                .contains("scopes: [ \"obo.read\", \"portcullis.admin\", \"portcullis.admin.api\" ]");
        Path exportFile = file("export.yaml", exported);
        String dry = store.cli().ok("apply", exportFile.toString(), "--prune", "--dry-run").out();
        assertThat(dry).contains("0 change(s) would be made").doesNotContain("portcullis.admin");
        assertThat(store.cli().ok("apply", exportFile.toString(), "--prune").out()).contains(" 0 change(s)");
        assertThat(builtIns(store.database(), "T1")).containsExactlyInAnyOrderElementsOf(BuiltInScopes.ALL);

        String onlyOwnScopes = YAML.substring(0, YAML.indexOf("    users:")).replace("    scopes:\n", "    scopes: []\n")
                .replace("      - { name: obo.read, kind: on-behalf-of }\n", "");
        store.cli().ok("apply", file("empty.yaml", onlyOwnScopes).toString(), "--prune");
        assertThat(store.database().sql().query("SELECT name FROM scopes WHERE tenant_id = 'T1' ORDER BY name",
                row -> row.getString(1))).as("obo.read is held by a (now disabled) client; the built-ins by no file")
                .containsExactly("obo.read", "portcullis.admin", "portcullis.admin.api");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void grantsIssueThemByKind(StoreKind kind) {
        try (TestServer server = TestServer.start(kind, YAML)) {
            SignedJWT token = assertToken(server.postForm(TOKEN, form("grant_type", "client_credentials",
                    "client_id", "automation", "client_secret", AUTOMATION_SECRET, "scope", BuiltInScopes.ADMIN_API)));
            assertThat(token.getJWTClaimsSet().getClaim("scope")).isEqualTo(BuiltInScopes.ADMIN_API);
            assertError(server.postForm(TOKEN, form("grant_type", "client_credentials", "client_id", "automation",
                    "client_secret", AUTOMATION_SECRET, "scope", BuiltInScopes.ADMIN)), 400, "invalid_scope", "delegated");
            assertError(server.postForm(TOKEN, form("grant_type", "password", "client_id", "automation",
                    "client_secret", AUTOMATION_SECRET, "scope", BuiltInScopes.ADMIN, "subject_username", "una")),
                    400, "invalid_scope", "delegated");

            BrowserClient browser = new BrowserClient(server.baseUrl());
            HttpResponse<String> refused = browser.get(authorize(BuiltInScopes.ADMIN_API));
            assertThat(BrowserClient.redirectParams(refused)).containsEntry("error", "invalid_scope");

            HttpResponse<String> consent = browser.follow(browser.get(authorize(BuiltInScopes.ADMIN)));
            consent = browser.follow(browser.submit(consent, Map.of("username", "una", "password", "password-of-una")));
            assertThat(consent.body()).contains("Manage this tenant through the admin API, as a Partition Administrator");
            HttpResponse<String> redirect = browser.follow(browser.submit(consent, Map.of("decision", "allow")));
            String code = BrowserClient.redirectParams(redirect).get("code");
            SignedJWT signedIn = assertToken(server.postForm(TOKEN, form("grant_type", "authorization_code", "code", code,
                    "redirect_uri", CONSOLE_REDIRECT, "client_id", "console", "code_verifier", VERIFIER)));
            assertThat(signedIn.getJWTClaimsSet().getClaim("scope")).isEqualTo(BuiltInScopes.ADMIN);
            assertThat(signedIn.getJWTClaimsSet().getSubject()).isEqualTo("u1");
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static String authorize(String scope) {
        return "/system/auth/T1-U/oauth2/authorize?" + TestServer.encode(form("client_id", "console", "response_type", "code",
                "redirect_uri", CONSOLE_REDIRECT, "scope", scope, "state", "s1", "code_challenge", Pkce.s256(VERIFIER),
                "code_challenge_method", "S256"));
    }

    /** V13 gives the tenants that existed before it the built-ins, and the reserved names their built-in kind. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theMigrationGivesExistingTenantsTheBuiltInScopes(StoreKind kind) throws Exception {
        scratch = new ScratchDatabases(temp);
        String url = scratch.jdbcUrl(kind);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("12").load().migrate();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO tenants (id, name, access_token_ttl, created_at, updated_at) "
                    + "VALUES ('OLD', 'Old', 3600, 0, 0), ('ODD', 'Odd', 3600, 0, 0)");
            statement.executeUpdate("INSERT INTO scopes (tenant_id, name, kind, description) "
                    + "VALUES ('ODD', 'portcullis.admin', 'application', 'mine'), ('ODD', 'other', 'delegated', NULL)");
        }
        try (Database database = Database.open(url, 2)) {
            for (String tenant : List.of("OLD", "ODD")) {
                assertThat(builtIns(database, tenant)).as(tenant).containsExactlyInAnyOrderElementsOf(BuiltInScopes.ALL);
            }
            assertThat(new TenantRepository(database.sql()).find("ODD").orElseThrow().scopes()).containsKey("other").hasSize(3);
            assertThatThrownBy(() -> database.sql().update("INSERT INTO subject_roles (tenant_id, realm, subject_id, role) "
                    + "VALUES ('OLD', 'U', 'nobody', 'partition_admin')")).as("a role needs its user")
                    .isInstanceOf(StoreException.class);
        }
    }
}
