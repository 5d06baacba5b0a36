package dev.portcullis.admin;

import dev.portcullis.store.Database;
import dev.portcullis.testing.DatabaseSnapshot;
import dev.portcullis.testing.PostgresDatabases;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tenants file's client keys added for eGain's model: description, platform native, named secrets. */
class ClientTenantsFileTest {

    private static final String SOURCE = "tenants.yaml";
    private static final String SECRET_A = "secret-a-0123456789abcdefghijklmnopq";
    private static final String SECRET_B = "secret-b-0123456789abcdefghijklmnopq";
    private static final String SECRET_C = "secret-c-0123456789abcdefghijklmnopq";

    private static final String NAMED = """
            tenants:
              - id: T1
                name: Tenant one
                scopes:
                  - { name: app.read, kind: application }
                  - { name: user.read, kind: delegated }
                clients:
                  - client_id: web-1
                    name: Web one
                    description: Syncs portal content for signed-in agents
                    platform: web
                    secrets:
                      - { name: blue, value: "secret-a-0123456789abcdefghijklmnopq", expires_at: 2999-01-31 }
                      - { name: green, value: "secret-b-0123456789abcdefghijklmnopq" }
                    scopes: [ app.read ]
                  - client_id: native-1
                    name: Desktop
                    platform: native
                    scopes: [ user.read ]
                    redirect_uris: [ "http://127.0.0.1/callback", "http://[::1]:8400/cb", "com.example.desktop:/cb", "https://app.example.com/cb" ]
            """;

    @TempDir
    Path temp;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    private String jdbcUrl(StoreKind store) {
        if (store == StoreKind.POSTGRES) {
            String url = PostgresDatabases.create();
            cleanup.add(() -> PostgresDatabases.drop(url));
            return url;
        }
        return "jdbc:sqlite:" + temp.resolve("clients.db");
    }

    private Database open(String url) {
        Database database = Database.open(url, 2);
        cleanup.add(0, database);
        return database;
    }

    private static TenantsFileApplier.Result apply(Database database, String yaml) {
        return new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC())
                .apply(TenantsFileParser.parse(yaml, SOURCE));
    }

    private static List<String> secretNames(Database database, String clientId) {
        return database.sql().query("SELECT name FROM client_secrets WHERE client_id = ? ORDER BY name", row -> row.getString(1), clientId);
    }

    private static void assertRefusedAt(String yaml, String marker, String... messageContains) {
        String[] lines = yaml.split("\n", -1);
        int line = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(marker)) {
                assertThat(line).as("marker '%s' on one line", marker).isZero();
                line = i + 1;
            }
        }
        assertThat(line).as("marker '%s' present", marker).isPositive();
        assertThatThrownBy(() -> TenantsFileParser.parse(yaml, SOURCE))
                .isInstanceOf(TenantsFileException.class)
                .hasMessageStartingWith(SOURCE + ":" + line + ": ")
                .hasMessageContainingAll(messageContains);
    }

    // ---- validation ------------------------------------------------------------------------------

    @Test
    void duplicateSecretNamesAreRefusedAtTheSecondSecret() {
        assertRefusedAt(NAMED.replace("{ name: green,", "{ name: blue,"), "secret-b-", "duplicate secret name 'blue'", "web-1");
    }

    @Test
    void aListOfTwoThatNamesOneMustNameBoth() {
        assertRefusedAt(NAMED.replace("{ name: green, value: \"secret-b-0123456789abcdefghijklmnopq\" }",
                "\"secret-b-0123456789abcdefghijklmnopq\""), "secret-b-", "give this one a name too");
    }

    @Test
    void secretNamesAndDescriptionsHaveLimits() {
        assertRefusedAt(NAMED.replace("name: green", "name: " + "g".repeat(65)), "g".repeat(65), "at most 64 characters");
        assertRefusedAt(NAMED.replace("description: Syncs portal content for signed-in agents", "description: " + "d".repeat(1001)),
                "d".repeat(1001), "at most 1000 characters");
        assertThat(TenantsFileParser.parse(NAMED.replace("description: Syncs portal content for signed-in agents",
                "description: " + "d".repeat(1000)), SOURCE).tenants().get(0).clients().get(0).description()).hasValue("d".repeat(1000));
    }

    @Test
    void nativeClientsAreRefusedSecretsLocalhostBareSchemesAndPlainHttp() {
        String nativeUris = "redirect_uris: [ \"http://127.0.0.1/callback\", \"http://[::1]:8400/cb\", \"com.example.desktop:/cb\", \"https://app.example.com/cb\" ]";
        assertRefusedAt(NAMED.replace(nativeUris, "redirect_uris: [ \"http://localhost/callback\" ]"),
                "localhost", "not localhost", "RFC 8252 8.3");
        assertRefusedAt(NAMED.replace(nativeUris, "redirect_uris: [ \"desktop:/callback\" ]"),
                "desktop:/callback", "reverse domain name", "com.example.app");
        assertRefusedAt(NAMED.replace(nativeUris, "redirect_uris: [ \"http://app.example.com/cb\" ]"),
                "http://app.example.com/cb", "loopback address");
        assertRefusedAt(NAMED.replace("    platform: native\n", "    platform: native\n        secrets: [ \"" + SECRET_C + "\" ]\n"),
                SECRET_C, "native (public) client and cannot have secrets");
    }

    // ---- applying ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void namedSecretsAndDescriptionsRoundTripAndReApplyingChangesNothing(StoreKind store) {
        Database database = open(jdbcUrl(store));
        assertThat(apply(database, NAMED).changes()).isPositive();
        Map<String, List<String>> afterFirst = DatabaseSnapshot.contents(database.dataSource());
        assertThat(apply(database, NAMED).changes()).isZero();
        assertThat(DatabaseSnapshot.contents(database.dataSource())).isEqualTo(afterFirst);

        assertThat(secretNames(database, "web-1")).containsExactly("blue", "green");
        assertThat(database.sql().queryOne("SELECT expires_at FROM client_secrets WHERE name = 'blue'", r -> r.getLong(1)))
                .contains(32_474_736_000L);
        assertThat(database.sql().queryOne("SELECT description FROM clients WHERE client_id = 'web-1'", r -> r.getString(1)))
                .contains("Syncs portal content for signed-in agents");
        assertThat(database.sql().queryOne("SELECT platform FROM clients WHERE client_id = 'native-1'", r -> r.getString(1)))
                .contains("native");
        assertThat(database.sql().queryOne("SELECT COUNT(*) FROM client_secrets WHERE client_id = 'native-1'", r -> r.getInt(1)))
                .contains(0);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void renamingOrSwappingNamesKeepsTheSecretsAndCountsEachChange(StoreKind store) {
        Database database = open(jdbcUrl(store));
        apply(database, NAMED);
        List<String> ids = database.sql().query("SELECT id FROM client_secrets WHERE client_id = 'web-1' ORDER BY id", r -> r.getString(1));

        String swapped = NAMED.replace("name: blue,", "name: TMP,").replace("name: green,", "name: blue,").replace("name: TMP,", "name: green,");
        assertThat(apply(database, swapped).changes()).as("two renames").isEqualTo(2);
        assertThat(database.sql().queryOne("SELECT name FROM client_secrets WHERE expires_at IS NOT NULL", r -> r.getString(1)))
                .contains("green");
        assertThat(database.sql().query("SELECT id FROM client_secrets WHERE client_id = 'web-1' ORDER BY id", r -> r.getString(1)))
                .as("same rows: values, ids and creation times kept").isEqualTo(ids);
        assertThat(apply(database, swapped).changes()).isZero();

        String described = swapped.replace("description: Syncs portal content for signed-in agents", "description: Nightly");
        assertThat(apply(database, described).changes()).isEqualTo(1);
        String undescribed = described.replace("        description: Nightly\n", "");
        assertThat(apply(database, undescribed).changes()).isEqualTo(1);
        assertThat(database.sql().queryOne("SELECT description FROM clients WHERE client_id = 'web-1'", r -> r.getString(1))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void unnamedSecretsAreCalledPrimaryAndSecondaryAndKeepTheirNamesWhenTheListChanges(StoreKind store) {
        Database database = open(jdbcUrl(store));
        String unnamed = NAMED.replace("{ name: blue, value: \"secret-a-0123456789abcdefghijklmnopq\", expires_at: 2999-01-31 }",
                "\"" + SECRET_A + "\"").replace("{ name: green, value: \"secret-b-0123456789abcdefghijklmnopq\" }",
                "{ value: \"" + SECRET_B + "\", expires_at: 2999-01-31 }");
        apply(database, unnamed);
        assertThat(database.sql().queryOne("SELECT name FROM client_secrets WHERE client_id = 'web-1' AND expires_at IS NULL",
                r -> r.getString(1))).as("the first in the list").contains("primary");
        assertThat(secretNames(database, "web-1")).containsExactly("primary", "secondary");

        // rotation: the old secret leaves, the other keeps its name, a new one takes the free name
        String rotated = unnamed.replace("\"" + SECRET_A + "\"", "\"" + SECRET_C + "\"");
        assertThat(apply(database, rotated).changes()).as("one removed, one added").isEqualTo(2);
        assertThat(database.sql().queryOne("SELECT name FROM client_secrets WHERE expires_at IS NOT NULL", r -> r.getString(1)))
                .contains("secondary");
        assertThat(secretNames(database, "web-1")).containsExactly("primary", "secondary");
        assertThat(apply(database, rotated).changes()).isZero();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void namedSecretsAuthenticateOnARunningServer(StoreKind store) {
        try (TestServer server = TestServer.start(store, NAMED)) {
            for (String secret : List.of(SECRET_A, SECRET_B)) {
                assertToken(server.postForm("/system/auth/T1-U/oauth2/token", form("grant_type", "client_credentials",
                        "client_id", "web-1", "client_secret", secret, "scope", "app.read")));
            }
            HttpResponse<String> wrong = server.postForm("/system/auth/T1-U/oauth2/token", form("grant_type", "client_credentials",
                    "client_id", "web-1", "client_secret", SECRET_C, "scope", "app.read"));
            assertError(wrong, 400, "invalid_client");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theMigrationNamesExistingSecretsByAge(StoreKind store) throws Exception {
        String url = jdbcUrl(store);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("5").load().migrate();
        try (Connection raw = DriverManager.getConnection(url); Statement statement = raw.createStatement()) {
            statement.executeUpdate("INSERT INTO tenants (id, name, access_token_ttl, created_at, updated_at) VALUES ('T1', 'T', 3600, 0, 0)");
            statement.executeUpdate("INSERT INTO clients (tenant_id, client_id, name, platform, created_at, updated_at) "
                    + "VALUES ('T1', 'c', 'C', 'web', 0, 0)");
            statement.executeUpdate("INSERT INTO client_secrets (id, tenant_id, client_id, secret_hash, created_at) "
                    + "VALUES ('z-older', 'T1', 'c', 'h1', 10)");
            statement.executeUpdate("INSERT INTO client_secrets (id, tenant_id, client_id, secret_hash, created_at) "
                    + "VALUES ('a-newer', 'T1', 'c', 'h2', 20)");
        }
        Database migrated = open(url);
        assertThat(migrated.sql().query("SELECT id, name FROM client_secrets ORDER BY created_at", r -> r.getString(1) + "=" + r.getString(2)))
                .containsExactly("z-older=primary", "a-newer=secondary");
    }
}
