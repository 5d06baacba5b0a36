package dev.portcullis.token;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.admin.TenantsFileParser;
import dev.portcullis.store.Database;
import dev.portcullis.store.Sql;
import dev.portcullis.testing.CliRunner;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's first signing key is made right after the tenant, never by its first token: by {@code apply} with every
 * core, and by a running server in the background when it hears of a new tenant. On PostgreSQL one instance does it.
 */
class KeyProvisioningTest {

    @TempDir
    Path temp;
    private ScratchDatabases scratch;
    private TestServer server;

    @AfterEach
    void close() throws Exception {
        if (server != null) {
            server.close();
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    private static String tenants(int count, String algorithm) {
        StringBuilder yaml = new StringBuilder("tenants:\n");
        for (int i = 0; i < count; i++) {
            yaml.append("  - { id: P").append(i).append(", name: Tenant ").append(i)
                    .append(algorithm == null ? "" : ", signing_alg: " + algorithm).append(" }\n");
        }
        return yaml.toString();
    }

    private static List<String> activeKeyAlgorithms(Sql sql) {
        return sql.query("SELECT t.id, k.algorithm FROM tenants t LEFT JOIN signing_keys k ON k.tenant_id = t.id AND k.status = 'active' "
                + "ORDER BY t.id", row -> row.getString(1) + "=" + row.getString(2));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void applyCreatesTheFirstKeyOfEveryNewTenantInItsAlgorithm(StoreKind store) throws Exception {
        scratch = new ScratchDatabases(temp);
        String url = scratch.jdbcUrl(store);
        Path config = temp.resolve("portcullis.yaml");
        Files.writeString(config, "database: " + url + "\nmaster_key: " + TestServer.MASTER_KEY + "\n");
        Path file = temp.resolve("tenants.yaml");
        Files.writeString(file, tenants(3, "ES256"));

        CliRunner cli = new CliRunner(config);
        assertThat(cli.ok("apply", file.toString()).out()).contains("Created the signing keys of 3 new tenant(s)");
        try (Database database = Database.open(url, 2)) {
            assertThat(activeKeyAlgorithms(database.sql())).containsExactly("P0=ES256", "P1=ES256", "P2=ES256");
        }
        assertThat(cli.ok("apply", file.toString()).out()).as("nothing is missing the second time")
                .doesNotContain("Created the signing keys");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRunningServerMakesTheKeyOfATenantCreatedBehindItsBackWithoutAnyRequestForIt(StoreKind store) throws Exception {
        server = TestServer.start(store, tenants(1, null));
        Sql sql = server.database().sql();
        await("the first tenant's key, made at start", () -> !activeKeyAlgorithms(sql).contains("P0=null"));
        // as the CLI or another instance would: a new tenant and a configuration change
        new dev.portcullis.admin.AdminService(sql, TestServer.secretHasher(), Clock.systemUTC()).createTenant("LATE", "Late tenant", 3600);
        await("the new tenant's key", () -> activeKeyAlgorithms(sql).contains("LATE=RS256"));
        assertThat(server.get("/system/auth/LATE-U/oauth2/jwks").body()).contains("\"kty\":\"RSA\"");
    }

    @Test
    void onPostgresqlAnInstanceThatCannotTakeTheLockLeavesTheWorkToTheOneThatHoldsIt() throws Exception {
        scratch = new ScratchDatabases(temp);
        try (Database database = scratch.open(StoreKind.POSTGRES)) {
            dev.portcullis.admin.TenantsFileApplier applier = new dev.portcullis.admin.TenantsFileApplier(database.sql(),
                    TestServer.secretHasher(), Clock.systemUTC());
            applier.apply(TenantsFileParser.parse(tenants(4, "EdDSA"), "t.yaml"));
            KeyProvisioner provisioner = new KeyLifecycle(database.sql(),
                    new SigningKeyFactory(MasterKey.decode(TestServer.MASTER_KEY), JWSAlgorithm.RS256), 1).provisioner(Clock.systemUTC());
            assertThat(provisioner.missing()).isEqualTo(4);
            try (Connection other = database.dataSource().getConnection()) {
                other.setAutoCommit(false);
                try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, 0x706f7274_6b657973L);
                    lock.execute();
                }
                assertThat(provisioner.provisionMissing(2)).as("another instance holds the lock").isZero();
                assertThat(provisioner.missing()).isEqualTo(4);
                other.rollback();
            }
            assertThat(provisioner.provisionMissing(2)).isEqualTo(4);
            assertThat(provisioner.missing()).isZero();
            assertThat(activeKeyAlgorithms(database.sql())).containsExactly("P0=EdDSA", "P1=EdDSA", "P2=EdDSA", "P3=EdDSA");
        }
    }

    @Test
    void tenThousandTenantsInOneFileAreAccepted() {
        StringBuilder yaml = new StringBuilder("tenants:\n");
        for (int i = 0; i < 10_000; i++) {
            yaml.append("  - id: T").append(i).append("\n    name: \"Tenant ").append(i).append(" of a large platform\"\n")
                    .append("    scopes: [ { name: core.read, kind: delegated, description: Read the core service's data }, ")
                    .append("{ name: app.read, kind: application } ]\n")
                    .append("    users: [ { id: \"u").append(i).append("\", username: user").append(i).append(" } ]\n")
                    .append("    clients: [ { client_id: web-").append(i).append(", name: Web app, platform: web, scopes: [ core.read ], ")
                    .append("redirect_uris: [ \"https://t").append(i).append(".example.com/callback\" ] } ]\n");
        }
        assertThat(yaml.length()).as("beyond SnakeYAML's default 3 MB limit").isGreaterThan(3 * 1024 * 1024);
        assertThat(TenantsFileParser.parse(yaml.toString(), "large.yaml").tenants()).hasSize(10_000);
    }
}
