package dev.portcullis.admin;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.config.ConfigException;
import dev.portcullis.grant.Pkce;
import dev.portcullis.identity.AdminRole;
import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.identity.SubjectRoles;
import dev.portcullis.store.Database;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantRepository;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.CliRunner;
import dev.portcullis.testing.ScratchDatabases;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code portcullis bootstrap-admin} and the PORTCULLIS_BOOTSTRAP_ADMIN_* variables: the first System Administrator. */
class BootstrapAdminTest {

    private static final String PASSWORD = "correct horse battery";
    private static final Pattern CREATED = Pattern.compile("Created system administrator root \\(id ([0-9a-f-]{36}), role system_admin\\)");
    private static final String[] BOOTSTRAP = {"bootstrap-admin", "--username", "root", "--password-stdin"};
    private static final String REDIRECT = "https://console.example.com/cb";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk0123456789";

    @TempDir
    Path temp;
    private ScratchDatabases scratch;
    private Database database;
    private CliRunner cli;
    private String url;

    @AfterEach
    void close() throws Exception {
        if (database != null) {
            database.close();
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    private void open(StoreKind store) throws Exception {
        scratch = new ScratchDatabases(temp);
        url = scratch.jdbcUrl(store);
        Path config = Files.writeString(temp.resolve("portcullis.yaml"), "database: " + url + "\nmaster_key: "
                + TestServer.MASTER_KEY + "\n");
        cli = new CliRunner(config);
        database = Database.open(url, 2);
    }

    private String passwordHash(String username) {
        return database.sql().queryOne("SELECT password_hash FROM subjects WHERE tenant_id = 'system' AND username = ?",
                row -> row.getString(1), username).orElseThrow();
    }

    private static String createdId(CliRunner.Run run) {
        Matcher matcher = CREATED.matcher(run.out());
        assertThat(matcher.find()).as("the created line in %s", run.out()).isTrue();
        return matcher.group(1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void createsTenantSystemAndAnAdministratorWhoCanSignIn(StoreKind store) throws Exception {
        open(store);
        CliRunner.Run run = cli.runWithInput(PASSWORD + "\n", BOOTSTRAP);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Created tenant system (System administration)\n").doesNotContain(PASSWORD);
        String id = createdId(run);

        Tenant system = new TenantRepository(database.sql()).find(AdminRole.SYSTEM_TENANT).orElseThrow();
        assertThat(system.name()).isEqualTo("System administration");
        assertThat(system.scopes().values()).containsExactlyInAnyOrderElementsOf(BuiltInScopes.ALL);
        assertThat(SubjectRoles.roles(database.sql(), "system", id)).containsExactly("system_admin");
        assertThat(PasswordHasher.verify(PASSWORD, passwordHash("root"))).isTrue();

        cli.ok("client", "create", "--tenant", "system", "--name", "Console", "--platform", "spa", "--client-id", "console",
                "--scope", BuiltInScopes.ADMIN, "--redirect-uri", REDIRECT);
        try (TestServer server = TestServer.startOn(store, url)) {
            BrowserClient browser = new BrowserClient(server.baseUrl());
            HttpResponse<String> redirect = SignInFlow.signIn(browser, "/system/auth/system-U/oauth2/authorize?"
                    + TestServer.encode(form("client_id", "console", "response_type", "code", "redirect_uri", REDIRECT,
                    "scope", BuiltInScopes.ADMIN, "state", "s", "code_challenge", Pkce.s256(VERIFIER), "code_challenge_method", "S256")),
                    "username", "root", PASSWORD);
            JWTClaimsSet claims = assertToken(server.postForm("/system/auth/system-U/oauth2/token", form("grant_type",
                    "authorization_code", "code", BrowserClient.redirectParams(redirect).get("code"), "redirect_uri", REDIRECT,
                    "client_id", "console", "code_verifier", VERIFIER))).getJWTClaimsSet();
            assertThat(claims.getSubject()).isEqualTo(id);
            assertThat(claims.getStringClaim("scope")).isEqualTo(BuiltInScopes.ADMIN);
            assertThat(claims.getStringClaim("username")).isEqualTo("root");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusesAShortOrMissingPasswordAndCreatesNothing(StoreKind store) throws Exception {
        open(store);
        cli.failsWithInput("eleven-char\n", BOOTSTRAP, "at least 12 characters");
        cli.failsWithInput("\n", BOOTSTRAP, "a password is required", "no default password");
        cli.failsWithInput("", BOOTSTRAP, "a password is required");
        cli.fails(new String[] {"tenant", "create", "system", "--name", "Mine"}, "tenant id system is reserved for system "
                + "administration: create it with portcullis bootstrap-admin or a tenants file");
        assertThat(new TenantRepository(database.sql()).list()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusesAnExistingUsernameUnlessAskedToResetItsPassword(StoreKind store) throws Exception {
        open(store);
        String id = createdId(cli.runWithInput(PASSWORD + "\n", BOOTSTRAP));
        String hash = passwordHash("root");

        CliRunner.Run again = cli.failsWithInput("another long password\n", BOOTSTRAP,
                "user 'root' already exists in tenant system", "--reset-password");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(passwordHash("root")).isEqualTo(hash);

        cli.ok("user", "disable", "--tenant", "system", id);
        database.sql().update("DELETE FROM subject_roles WHERE subject_id = ?", id);
        String[] reset = {"bootstrap-admin", "--username", "ROOT", "--password-stdin", "--reset-password"};
        CliRunner.Run run = cli.runWithInput("another long password\n", reset);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Reset the password of system administrator root (id " + id + ", role system_admin)")
                .doesNotContain("Created tenant");
        assertThat(PasswordHasher.verify("another long password", passwordHash("root"))).isTrue();
        assertThat(SubjectRoles.roles(database.sql(), "system", id)).as("enabled again, and system_admin again")
                .containsExactly("system_admin");
        assertThat(database.sql().query("SELECT id FROM subjects WHERE tenant_id = 'system'", row -> row.getString(1)))
                .containsExactly(id);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTenantSystemFromATenantsFileIsUsedAsItIs(StoreKind store) throws Exception {
        open(store);
        Path file = Files.writeString(temp.resolve("system.yaml"), """
                tenants:
                  - id: system
                    name: Operations
                    users:
                      - { id: ops, username: ops, roles: [ system_admin ] }
                """);
        cli.ok("apply", file.toString());
        CliRunner.Run run = cli.runWithInput(PASSWORD + "\n", BOOTSTRAP);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("Created tenant");
        String id = createdId(run);
        assertThat(new TenantRepository(database.sql()).find("system").orElseThrow().name()).isEqualTo("Operations");
        assertThat(SubjectRoles.holders(database.sql(), "system", AdminRole.SYSTEM_ADMIN)).containsExactlyInAnyOrder("ops", id);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theEnvironmentCreatesTheFirstAdministratorOnlyWhenThereIsNone(StoreKind store) throws Exception {
        open(store);
        BootstrapAdmin bootstrap = new BootstrapAdmin(database.sql(), Clock.systemUTC());
        String user = BootstrapAdmin.USERNAME_VARIABLE;
        String password = BootstrapAdmin.PASSWORD_VARIABLE;

        assertThat(bootstrap.fromEnvironment(Map.of())).isEqualTo(BootstrapAdmin.EnvironmentOutcome.NOT_REQUESTED);
        assertThat(bootstrap.fromEnvironment(Map.of(user, "root"))).isEqualTo(BootstrapAdmin.EnvironmentOutcome.IGNORED_INCOMPLETE);
        assertThat(bootstrap.fromEnvironment(Map.of(password, PASSWORD))).isEqualTo(BootstrapAdmin.EnvironmentOutcome.IGNORED_INCOMPLETE);
        assertThatThrownBy(() -> bootstrap.fromEnvironment(Map.of(user, "root", password, "too-short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least 12 characters").hasMessageNotContaining("too-short");
        assertThat(new TenantRepository(database.sql()).list()).isEmpty();

        assertThat(bootstrap.fromEnvironment(Map.of(user, "root", password, PASSWORD)))
                .isEqualTo(BootstrapAdmin.EnvironmentOutcome.CREATED);
        List<String> admins = SubjectRoles.holders(database.sql(), "system", AdminRole.SYSTEM_ADMIN);
        assertThat(admins).hasSize(1);
        assertThat(PasswordHasher.verify(PASSWORD, passwordHash("root"))).isTrue();

        assertThat(bootstrap.fromEnvironment(Map.of(user, "other", password, "a different password")))
                .isEqualTo(BootstrapAdmin.EnvironmentOutcome.IGNORED_ADMIN_EXISTS);
        assertThat(SubjectRoles.holders(database.sql(), "system", AdminRole.SYSTEM_ADMIN)).isEqualTo(admins);
        assertThat(database.sql().query("SELECT username FROM subjects", row -> row.getString(1))).containsExactly("root");

        // the only administrator is disabled: the variables ask for one, but their username is taken
        cli.ok("user", "disable", "--tenant", "system", admins.get(0));
        assertThatThrownBy(() -> bootstrap.fromEnvironment(Map.of(user, "root", password, PASSWORD)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("user 'root' already exists in tenant system")
                .hasMessageNotContaining(PASSWORD);
    }
}
