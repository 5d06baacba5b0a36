package dev.portcullis.admin;

import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Database;
import dev.portcullis.testing.ScratchDatabases;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tenants file given to serve is applied at start unless neither it nor the configuration changed since. */
class StartupTenantsFileTest {

    private static final String FILE = """
            tenants:
              - id: T1
                name: Tenant one
                scopes:
                  - { name: app.read, kind: application }
                users:
                  - { id: u1, username: una, password: "first password" }
                clients:
                  - client_id: web-1
                    name: Web one
                    platform: web
                    secrets: [ "secret-a-0123456789abcdefghijklmnopq" ]
                    scopes: [ app.read ]
            """;

    @TempDir
    Path directory;

    private static String tenantName(Database database) {
        return database.sql().queryOne("SELECT name FROM tenants WHERE id = 'T1'", row -> row.getString(1)).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUnchangedFileOnAnUnchangedConfigurationIsNotAppliedAgain(StoreKind store) throws Exception {
        try (ScratchDatabases scratch = new ScratchDatabases(directory)) {
            Database database = scratch.open(store);
            Path file = Files.writeString(directory.resolve("tenants.yaml"), FILE);
            TenantsFileApplier applier = new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC());

            StartupTenantsFile.Outcome first = StartupTenantsFile.apply(file, database.sql(), applier, Clock.systemUTC());
            assertThat(first.skipped()).isFalse();
            assertThat(first.applied().orElseThrow().changes()).isPositive();

            StartupTenantsFile.Outcome second = StartupTenantsFile.apply(file, database.sql(), applier, Clock.systemUTC());
            assertThat(second.skipped()).as("same file, same configuration").isTrue();
            assertThat(tenantName(database)).isEqualTo("Tenant one");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aChangeToTheConfigurationSinceMakesTheFileApplyAgainAndRevertIt(StoreKind store) throws Exception {
        try (ScratchDatabases scratch = new ScratchDatabases(directory)) {
            Database database = scratch.open(store);
            Path file = Files.writeString(directory.resolve("tenants.yaml"), FILE);
            TenantsFileApplier applier = new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC());
            StartupTenantsFile.apply(file, database.sql(), applier, Clock.systemUTC());

            // a change by another way (CLI, admin API, another instance) bumps the revision in its transaction
            database.sql().inTransaction(tx -> {
                tx.update("UPDATE tenants SET name = 'Renamed elsewhere' WHERE id = 'T1'");
                ConfigRevision.bump(tx);
                return null;
            });
            StartupTenantsFile.Outcome again = StartupTenantsFile.apply(file, database.sql(), applier, Clock.systemUTC());
            assertThat(again.skipped()).isFalse();
            assertThat(again.applied().orElseThrow().changes()).isEqualTo(1);
            assertThat(tenantName(database)).isEqualTo("Tenant one");
            assertThat(StartupTenantsFile.apply(file, database.sql(), applier, Clock.systemUTC()).skipped()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEditedFileIsApplied(StoreKind store) throws Exception {
        try (ScratchDatabases scratch = new ScratchDatabases(directory)) {
            Database database = scratch.open(store);
            Path file = Files.writeString(directory.resolve("tenants.yaml"), FILE);
            TenantsFileApplier applier = new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC());
            StartupTenantsFile.apply(file, database.sql(), applier, Clock.systemUTC());

            Files.writeString(file, FILE.replace("name: Tenant one", "name: Tenant uno"));
            StartupTenantsFile.Outcome edited = StartupTenantsFile.apply(file, database.sql(), applier, Clock.systemUTC());
            assertThat(edited.skipped()).isFalse();
            assertThat(tenantName(database)).isEqualTo("Tenant uno");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anInvalidFileChangesNothingAndIsNotRecordedAsApplied(StoreKind store) throws Exception {
        try (ScratchDatabases scratch = new ScratchDatabases(directory)) {
            Database database = scratch.open(store);
            Path file = Files.writeString(directory.resolve("tenants.yaml"), FILE);
            TenantsFileApplier applier = new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC());
            StartupTenantsFile.apply(file, database.sql(), applier, Clock.systemUTC());
            String recorded = database.sql().queryOne("SELECT digest FROM tenants_file_state", row -> row.getString(1)).orElseThrow();

            Files.writeString(file, FILE.replace("kind: application", "kind: no-such-kind"));
            assertThatThrownBy(() -> StartupTenantsFile.apply(file, database.sql(), applier, Clock.systemUTC()))
                    .isInstanceOf(TenantsFileException.class);
            assertThat(database.sql().queryOne("SELECT digest FROM tenants_file_state", row -> row.getString(1))).contains(recorded);
            assertThat(tenantName(database)).isEqualTo("Tenant one");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFileTheApplyCommandAppliedIsNotAppliedAgainAtStart(StoreKind store) throws Exception {
        try (ScratchDatabases scratch = new ScratchDatabases(directory)) {
            String url = scratch.jdbcUrl(store);
            Path config = Files.writeString(directory.resolve("portcullis.yaml"),
                    "database: " + url + "\nmaster_key: " + TestServer.MASTER_KEY + "\n");
            Path file = Files.writeString(directory.resolve("tenants.yaml"), FILE);
            new dev.portcullis.testing.CliRunner(config).ok("apply", file.toString());
            try (Database database = Database.open(url, 2)) {
                TenantsFileApplier applier = new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC());
                assertThat(StartupTenantsFile.apply(file, database.sql(), applier, Clock.systemUTC()).skipped()).isTrue();
                assertThat(tenantName(database)).isEqualTo("Tenant one");
            }
            // a dry run records nothing: the file it read is not known as applied
            Path other = Files.writeString(directory.resolve("other.yaml"), FILE.replace("Tenant one", "Tenant dry"));
            new dev.portcullis.testing.CliRunner(config).ok("apply", "--dry-run", other.toString());
            try (Database database = Database.open(url, 2)) {
                TenantsFileApplier applier = new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC());
                assertThat(StartupTenantsFile.apply(other, database.sql(), applier, Clock.systemUTC()).skipped()).isFalse();
                assertThat(tenantName(database)).isEqualTo("Tenant dry");
            }
        }
    }
}
