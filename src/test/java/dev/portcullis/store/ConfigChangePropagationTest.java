package dev.portcullis.store;

import dev.portcullis.admin.AdminService;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.portcullis.testing.AcmeTenant.APP_CLIENT;
import static dev.portcullis.testing.AcmeTenant.APP_SECRET;
import static dev.portcullis.testing.AcmeTenant.TENANT;
import static dev.portcullis.testing.AcmeTenant.U;
import static dev.portcullis.testing.AcmeTenant.YAML;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two instances on one database, as behind a load balancer: a change committed through one reaches
 * the other's caches within a second. The poll is set to a minute, so on PostgreSQL only the
 * notification can explain that speed; the SQLite control shows the same setup without one keeps
 * the old state well past that second, so the PostgreSQL assertions could fail.
 */
class ConfigChangePropagationTest {

    private static final Map<String, String> SLOW_POLL = Map.of("cache_refresh_seconds", "60");
    private static final long WITHIN_MILLIS = 1_000;

    private static AdminService admin(TestServer server) {
        return new AdminService(server.database().sql(), TestServer.secretHasher(), Clock.systemUTC());
    }

    private static HttpResponse<String> clientCredentials(TestServer server) {
        return server.postForm(U, form("grant_type", "client_credentials", "client_id", APP_CLIENT,
                "client_secret", APP_SECRET, "scope", "app.read"));
    }

    @Test
    void aChangeOnOneInstanceReachesTheOtherWithinASecond() throws Exception {
        try (TestServer a = TestServer.start(StoreKind.POSTGRES, YAML, SLOW_POLL)) {
            try (TestServer b = TestServer.secondInstance(a, SLOW_POLL)) {
                awaitListening(a, Set.of());
                warm(a, b);

                admin(a).setClientEnabled(TENANT, APP_CLIENT, false);
                assertError(awaitStatus(b, 400), 400, "invalid_client");
                assertError(awaitStatus(a, 400), 400, "invalid_client");

                admin(a).setClientEnabled(TENANT, APP_CLIENT, true);
                assertToken(awaitStatus(b, 200));
            }
            awaitListenerCount(a, 1);
        }
    }

    @Test
    void theListenerReconnectsAfterItsConnectionIsKilledAndLaterChangesStillArriveWithinASecond() throws Exception {
        try (TestServer a = TestServer.start(StoreKind.POSTGRES, YAML, SLOW_POLL);
             TestServer b = TestServer.secondInstance(a, SLOW_POLL)) {
            Set<Integer> first = awaitListening(a, Set.of());
            assertThat(terminateListeners(a)).as("listener backends terminated").isEqualTo(2);
            Set<Integer> second = awaitListening(a, first);
            assertThat(second).doesNotContainAnyElementsOf(first);

            // The reconnected listener drops the caches right after its last statement; let it, before B warms up.
            Thread.sleep(200);
            warm(a, b);
            admin(a).setClientEnabled(TENANT, APP_CLIENT, false);
            assertError(awaitStatus(b, 400), 400, "invalid_client");
        }
    }

    /** The control: SQLite has no notifications, so with a one-minute poll the other instance keeps its cache. */
    @Test
    void onSqliteTheOtherInstanceFollowsOnlyAtThePoll() throws Exception {
        try (TestServer a = TestServer.start(StoreKind.SQLITE, YAML, SLOW_POLL);
             TestServer b = TestServer.secondInstance(a, SLOW_POLL)) {
            // The signing key is created first, so its revision bump cannot matter here either.
            assertToken(clientCredentials(a));
            assertToken(clientCredentials(b));
            admin(a).setClientEnabled(TENANT, APP_CLIENT, false);
            long deadline = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < deadline) {
                assertToken(clientCredentials(b));
                Thread.sleep(50);
            }
            assertThat(admin(a).clients(TENANT).stream().filter(c -> c.clientId().equals(APP_CLIENT)).findFirst()
                    .orElseThrow().enabled()).as("disabled in the database").isFalse();
        }
    }

    /**
     * Leaves B with the client cached and nothing pending that would drop it: the first token creates
     * the tenant's signing key, a configuration change of its own, so it is issued on A and B is let
     * catch up with it (its metrics show the revision it follows) before B loads the client.
     */
    private static void warm(TestServer a, TestServer b) throws InterruptedException {
        assertToken(clientCredentials(a));
        long revision = ConfigRevision.current(a.database().sql());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (revisionFollowed(b) != revision && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(revisionFollowed(b)).as("revision B follows").isEqualTo(revision);
        assertToken(clientCredentials(b));
        assertThat(ConfigRevision.current(a.database().sql())).as("no change since B loaded the client").isEqualTo(revision);
    }

    private static long revisionFollowed(TestServer server) {
        return server.getManagement("/metrics").body().lines().filter(line -> line.startsWith("portcullis_config_revision "))
                .map(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    /** Polls every 50 ms until the response has {@code status}, failing after {@link #WITHIN_MILLIS} from now. */
    private static HttpResponse<String> awaitStatus(TestServer server, int status) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            HttpResponse<String> response = clientCredentials(server);
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (response.statusCode() == status) {
                return response;
            }
            if (elapsed >= WITHIN_MILLIS) {
                return fail("instance on port %d still answered %d after %d ms: %.120s", server.port(),
                        response.statusCode(), elapsed, response.body());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Waits until both instances' listeners are connected, other than {@code before}, and have
     * listened and read the revision (their last statement), and returns their backend ids.
     */
    private static Set<Integer> awaitListening(TestServer server, Set<Integer> before) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Set<Integer> pids = Set.of();
        while (System.nanoTime() < deadline) {
            pids = listenerBackends(server, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND application_name = ? AND query LIKE 'SELECT revision%'");
            pids.removeAll(before);
            if (pids.size() == 2) {
                return pids;
            }
            Thread.sleep(50);
        }
        return fail("two listening backends expected, found %s", pids);
    }

    /** Closing an instance ends its listener's connection (closing another would leave it to the database's timeouts). */
    private static void awaitListenerCount(TestServer server, int count) throws Exception {
        String query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?";
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (listenerBackends(server, query).size() != count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(listenerBackends(server, query)).as("listener backends").hasSize(count);
    }

    private static int terminateListeners(TestServer server) throws SQLException {
        // In the select list, not the WHERE clause, whose conditions PostgreSQL may evaluate in any order.
        return listenerBackends(server, "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND application_name = ?").size();
    }

    private static Set<Integer> listenerBackends(TestServer server, String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, ConfigChangeListener.APPLICATION_NAME);
            Set<Integer> pids = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    pids.add(rows.getInt(1));
                }
            }
            return pids;
        }
    }
}
