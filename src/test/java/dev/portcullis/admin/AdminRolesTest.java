package dev.portcullis.admin;

import dev.portcullis.identity.AdminRole;
import dev.portcullis.identity.SubjectRoles;
import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Database;
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
import java.time.Clock;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Users' admin roles: which the tenants file accepts, how apply writes and reports them, export, and AdminService. */
class AdminRolesTest {

    private static final String YAML = """
            tenants:
              - id: T1
                name: Tenant one
                users:
                  - { id: u1, username: una, roles: [ partition_admin ] }
                  - { id: u2, username: dos }
                customers:
                  - { id: c1, email: cee@example.com }
              - id: system
                name: Operations
                users:
                  - { id: ops, username: ops, roles: [ system_admin, partition_admin ] }
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

    private void open(StoreKind store) throws Exception {
        scratch = new ScratchDatabases(temp);
        String url = scratch.jdbcUrl(store);
        Path config = Files.writeString(temp.resolve("portcullis.yaml"), "database: " + url + "\nmaster_key: "
                + TestServer.MASTER_KEY + "\n");
        cli = new CliRunner(config);
        database = Database.open(url, 2);
    }

    private Path file(String name, String yaml) throws Exception {
        return Files.writeString(temp.resolve(name), yaml);
    }

    private static TenantsFileException refusal(String yaml) {
        try {
            TenantsFileParser.parse(yaml, "t.yaml");
        } catch (TenantsFileException e) {
            return e;
        }
        throw new AssertionError("the file was accepted:\n" + yaml);
    }

    @Test
    void theFileAcceptsKnownRolesOfUsersAndSystemAdminOnlyInTenantSystem() {
        TenantsFile file = TenantsFileParser.parse(YAML, "t.yaml");
        assertThat(file.tenants().get(0).users()).extracting(TenantsFile.SubjectSpec::roles)
                .containsExactly(Set.of("partition_admin"), Set.of());
        assertThat(file.tenants().get(1).users().get(0).roles()).containsExactly("partition_admin", "system_admin");

        assertThat(refusal(YAML.replace("roles: [ partition_admin ]", "roles: [ root ]"))).hasMessage(
                "t.yaml:5: unknown role 'root' (known roles: partition_admin, system_admin)");
        assertThat(refusal(YAML.replace("roles: [ partition_admin ]", "roles: [ system_admin ]"))).hasMessage(
                "t.yaml:5: role system_admin is only for users of tenant system, not of tenant T1 (use partition_admin to manage one tenant)");
        assertThat(refusal(YAML.replace("{ id: c1, email: cee@example.com }", "{ id: c1, email: cee@example.com, roles: [ partition_admin ] }")))
                .hasMessage("t.yaml:8: customers cannot have roles; only users (the -U realm) can be administrators");
        assertThat(refusal(YAML.replace("roles: [ partition_admin ]", "roles: partition_admin")))
                .hasMessageContaining("'roles' must be a list");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void applyWritesRolesReportsTheirChangesAndExportWritesThemBack(StoreKind store) throws Exception {
        open(store);
        cli.ok("apply", file("roles.yaml", YAML).toString());
        assertThat(SubjectRoles.roles(database.sql(), "T1", "u1")).containsExactly("partition_admin");
        assertThat(SubjectRoles.roles(database.sql(), "T1", "u2")).isEmpty();
        assertThat(SubjectRoles.roles(database.sql(), "system", "ops")).containsExactly("partition_admin", "system_admin");
        assertThat(SubjectRoles.holders(database.sql(), "system", AdminRole.SYSTEM_ADMIN)).containsExactly("ops");

        String swapped = YAML.replace("{ id: u1, username: una, roles: [ partition_admin ] }", "{ id: u1, username: una }")
                .replace("{ id: u2, username: dos }", "{ id: u2, username: dos, roles: [ partition_admin ] }");
        Path swappedFile = file("swapped.yaml", swapped);
        assertThat(cli.ok("apply", swappedFile.toString()).out()).isEqualTo("""
                tenant T1
                  user u1: changed (roles)
                  user u2: changed (roles)
                Applied %s: 2 tenant(s), 2 change(s)
                """.formatted(swappedFile));
        assertThat(SubjectRoles.roles(database.sql(), "T1", "u1")).isEmpty();
        assertThat(SubjectRoles.roles(database.sql(), "T1", "u2")).containsExactly("partition_admin");

        String exported = cli.ok("export", "--tenant", "T1", "--tenant", "system").out();
        assertThat(exported).contains("{ id: \"u2\", username: \"dos\", enabled: true, roles: [ \"partition_admin\" ] }",
                "{ id: \"u1\", username: \"una\", enabled: true }",
                "roles: [ \"partition_admin\", \"system_admin\" ]");
        Path exportFile = file("export.yaml", exported);
        assertThat(cli.ok("apply", exportFile.toString(), "--prune", "--dry-run").out()).contains("0 change(s) would be made");
        assertThat(cli.ok("apply", exportFile.toString(), "--prune").out()).contains(" 0 change(s)");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDisabledUserHoldsNoRoleUntilEnabledAgain(StoreKind store) throws Exception {
        open(store);
        cli.ok("apply", file("roles.yaml", YAML).toString());
        cli.ok("user", "disable", "--tenant", "T1", "u1");
        assertThat(SubjectRoles.roles(database.sql(), "T1", "u1")).isEmpty();
        assertThat(SubjectRoles.stored(database.sql(), "T1", "u1")).containsExactly("partition_admin");
        cli.ok("apply", file("roles.yaml", YAML).toString());
        assertThat(SubjectRoles.roles(database.sql(), "T1", "u1")).containsExactly("partition_admin");
        assertThat(SubjectRoles.roles(database.sql(), "T1", "nobody")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void adminServiceSetsAUsersRolesInOneChange(StoreKind store) throws Exception {
        open(store);
        cli.ok("apply", file("roles.yaml", YAML).toString());
        AdminService admin = new AdminService(database.sql(), TestServer.secretHasher(), Clock.systemUTC());
        long revision = ConfigRevision.current(database.sql());

        assertThat(admin.subjectAdmin().setUserRoles("T1", "u2", Set.of("partition_admin"))).isTrue();
        assertThat(ConfigRevision.current(database.sql())).isEqualTo(revision + 1);
        assertThat(admin.subjectAdmin().userRoles("T1", "u2")).containsExactly("partition_admin");
        assertThat(admin.subjectAdmin().setUserRoles("T1", "u2", Set.of("partition_admin"))).as("already so").isFalse();
        assertThat(ConfigRevision.current(database.sql())).isEqualTo(revision + 1);
        assertThat(admin.subjectAdmin().setUserRoles("T1", "u1", Set.of())).isTrue();
        assertThat(SubjectRoles.stored(database.sql(), "T1", "u1")).isEmpty();

        assertThatThrownBy(() -> admin.subjectAdmin().setUserRoles("T1", "u2", Set.of("system_admin")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only for users of tenant system");
        assertThatThrownBy(() -> admin.subjectAdmin().setUserRoles("T1", "u2", Set.of("owner")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("known roles: partition_admin, system_admin");
        assertThatThrownBy(() -> admin.subjectAdmin().setUserRoles("T1", "c1", Set.of("partition_admin"))).as("c1 is a customer")
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no user c1 in T1-U");
        assertThat(admin.subjectAdmin().setUserRoles("system", "ops", Set.of("system_admin"))).isTrue();
        assertThat(admin.subjectAdmin().userRoles("system", "ops")).containsExactly("system_admin");
        assertThat(SubjectRoles.roles(database.sql(), "T1", "u2")).as("unchanged by the refusals").containsExactly("partition_admin");
    }
}
