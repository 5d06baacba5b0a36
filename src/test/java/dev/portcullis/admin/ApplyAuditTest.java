package dev.portcullis.admin;

import dev.portcullis.store.Database;
import dev.portcullis.testing.ScratchDatabases;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Applying a tenants file leaves an audit event per changed object, naming the changed keys and never their values. */
class ApplyAuditTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void appliedChangesAreAuditedWithoutValuesAndDryRunsAndNoOpsAreNot(StoreKind store) throws Exception {
        try (ScratchDatabases databases = new ScratchDatabases(directory); Database database = databases.open(store)) {
            TenantsFileApplier applier = new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC());
            applier.apply(TenantsFileParser.parse(ApplyDryRunTest.BASE, "base.yaml"));
            List<String> created = events(database);
            assertThat(created).contains("tenants_file.created client web-1 {}", "tenants_file.created user u1 {}");

            String changed = ApplyDryRunTest.BASE.replace("password: \"first password\"", "password: \"second password\"")
                    .replace("name: Web one", "name: Web uno");
            applier.apply(TenantsFileParser.parse(changed, "changed.yaml"), new TenantsFileApplier.Options(true, false));
            assertThat(events(database)).hasSameSizeAs(created);

            applier.apply(TenantsFileParser.parse(changed, "changed.yaml"));
            List<String> after = events(database);
            assertThat(after).hasSize(created.size() + 2)
                    .contains("tenants_file.changed client web-1 {\"name\":{\"changed\":true}}",
                            "tenants_file.changed user u1 {\"password\":{\"changed\":true}}");
            assertThat(String.join("\n", after)).doesNotContain("second password").doesNotContain("Web uno")
                    .doesNotContain(ApplyDryRunTest.SECRET_A);

            applier.apply(TenantsFileParser.parse(changed, "changed.yaml"));
            assertThat(events(database)).hasSameSizeAs(after);
        }
    }

    private static List<String> events(Database database) {
        return database.sql().query("SELECT action, resource, changes, actor_client FROM audit_events ORDER BY id",
                row -> {
                    assertThat(row.getString(4)).isEqualTo("portcullis apply");
                    return row.getString(1) + " " + row.getString(2) + " " + row.getString(3);
                });
    }
}
