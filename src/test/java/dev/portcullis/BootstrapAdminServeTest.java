package dev.portcullis;

import dev.portcullis.admin.BootstrapAdmin;
import dev.portcullis.identity.AdminRole;
import dev.portcullis.identity.SubjectRoles;
import dev.portcullis.store.Database;
import dev.portcullis.testing.PostgresDatabases;
import dev.portcullis.testing.ServeProcess;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve} with PORTCULLIS_BOOTSTRAP_ADMIN_USERNAME and _PASSWORD, as its own process: the first start creates the
 * system administrator and says so without the password, later starts say the variables were ignored.
 */
class BootstrapAdminServeTest {

    private static final String PASSWORD = "env-password-of-root";
    private static final int START_SECONDS = 60;

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theFirstStartCreatesTheAdministratorAndLaterStartsIgnoreTheVariables(StoreKind store) throws Exception {
        String url = store == StoreKind.POSTGRES ? PostgresDatabases.create() : "jdbc:sqlite:" + temp.resolve("admin.db");
        try {
            Map<String, String> env = env(url, "root", PASSWORD);
            try (ServeProcess serve = ServeProcess.start(temp, env)) {
                assertThat(serve.awaitOutput("Ready in", START_SECONDS)).as(serve.output()).isTrue();
                assertThat(serve.output()).contains("Created system administrator 'root' (id ", "in tenant system")
                        .doesNotContain(PASSWORD);
                if (store == StoreKind.SQLITE) {
                    assertThat(serve.output()).as("the demo tenant still comes first on an empty loopback SQLite")
                            .contains("Created the demo tenant");
                }
            }
            try (Database database = Database.open(url, 2)) {
                String id = SubjectRoles.holders(database.sql(), AdminRole.SYSTEM_TENANT, AdminRole.SYSTEM_ADMIN).get(0);
                assertThat(database.sql().queryOne("SELECT username FROM subjects WHERE id = ?", row -> row.getString(1), id))
                        .contains("root");
            }
            try (ServeProcess again = ServeProcess.start(temp, env(url, "someone-else", "another-password-123"))) {
                assertThat(again.awaitOutput("Ready in", START_SECONDS)).as(again.output()).isTrue();
                assertThat(again.output()).contains(BootstrapAdmin.USERNAME_VARIABLE + " and " + BootstrapAdmin.PASSWORD_VARIABLE
                        + " ignored: tenant system already has a system_admin").doesNotContain("another-password-123", "someone-else");
            }
        } finally {
            if (store == StoreKind.POSTGRES) {
                PostgresDatabases.drop(url);
            }
        }
    }

    @Test
    void aPasswordTooShortStopsTheStartWithoutShowingIt() throws Exception {
        try (ServeProcess serve = ServeProcess.start(temp, env("jdbc:sqlite:" + temp.resolve("short.db"), "root", "short-pw"))) {
            OptionalInt exit = serve.awaitExit(START_SECONDS);
            assertThat(exit).as("exited; output:\n%s", serve.output()).isPresent();
            assertThat(exit.getAsInt()).isNotZero();
            assertThat(serve.output()).contains("error: " + BootstrapAdmin.USERNAME_VARIABLE, "at least 12 characters")
                    .doesNotContain("short-pw", "\tat ");
        }
    }

    private static Map<String, String> env(String jdbcUrl, String username, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("PORTCULLIS_PORT", String.valueOf(freePort()));
        env.put("PORTCULLIS_MANAGEMENT_PORT", "0");
        env.put("PORTCULLIS_DATABASE", jdbcUrl);
        env.put("PORTCULLIS_MASTER_KEY", TestServer.MASTER_KEY);
        env.put(BootstrapAdmin.USERNAME_VARIABLE, username);
        env.put(BootstrapAdmin.PASSWORD_VARIABLE, password);
        return env;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
