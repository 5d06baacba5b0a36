package dev.portcullis.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.PostgresDatabases;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TcpProxy;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.json;
import static dev.portcullis.testing.ReliabilityTenant.TOKEN;
import static dev.portcullis.testing.ReliabilityTenant.YAML;
import static dev.portcullis.testing.ReliabilityTenant.authorizePath;
import static dev.portcullis.testing.ReliabilityTenant.clientCredentials;
import static dev.portcullis.testing.ReliabilityTenant.eventually;
import static dev.portcullis.testing.ReliabilityTenant.get;
import static dev.portcullis.testing.ReliabilityTenant.getManagement;
import static dev.portcullis.testing.ReliabilityTenant.onBehalfOf;
import static dev.portcullis.testing.ReliabilityTenant.post;
import static dev.portcullis.testing.ReliabilityTenant.signIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real PostgreSQL made unreachable under a running server, through a {@link TcpProxy} between them (the
 * machine's PostgreSQL itself is never stopped): requests that need the database get 503 with Retry-After,
 * those served from caches go on, readiness follows the database, and service returns by itself.
 */
class DatabaseOutageTest {

    /** A server on a fresh PostgreSQL database reached through {@code proxy}. */
    private static TestServer throughProxy(TcpProxy proxy, String directUrl, Map<String, String> config) {
        return TestServer.startOn(StoreKind.POSTGRES, proxy.route(directUrl), YAML, config);
    }

    /** Fills the caches an outage must be survivable from: the tenant, the client, alice, the sign-in client. */
    private static void warm(TestServer server) {
        assertToken(post(server, TOKEN, clientCredentials()));
        assertToken(post(server, TOKEN, onBehalfOf("alice")));
        assertThat(signIn(server, "warm").statusCode()).as("signed in").isEqualTo(303);
        assertThat(getManagement(server, "/health/ready").statusCode()).isEqualTo(200);
    }

    static void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(503);
        assertThat(json(response).path("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(response.headers().firstValue("Retry-After")).as("Retry-After").hasValueSatisfying(
                value -> assertThat(Integer.parseInt(value)).isPositive());
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("postgresql");
    }

    static void assertUnavailablePage(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.body()).contains("temporarily unavailable").doesNotContain("Exception");
    }

    @Test
    void aDownDatabaseGives503WhileCachedGrantsGoOnAndServiceReturnsByItself() {
        String directUrl = PostgresDatabases.create();
        try (TcpProxy proxy = new TcpProxy(5432);
             TestServer server = throughProxy(proxy, directUrl, Map.of("database_wait_ms", "1000"))) {
            warm(server);

            proxy.refuse();

            for (int i = 0; i < 3; i++) {
                assertToken(post(server, TOKEN, clientCredentials()));
                assertToken(post(server, TOKEN, onBehalfOf("alice")));
            }
            assertUnavailable(post(server, TOKEN, onBehalfOf("bob")));
            assertThat(get(server, authorizePath("down")).statusCode()).as("the sign-in page comes from the caches").isEqualTo(200);
            assertUnavailablePage(signIn(server, "down"));
            HttpResponse<String> ready = getManagement(server, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(json(ready).path("database").asText()).isEqualTo("DOWN");
            assertThat(getManagement(server, "/health/live").statusCode()).as("the process itself is fine").isEqualTo(200);
            // many requests at once while it is down: each is refused, none waits out a timeout in a queue
            List<HttpResponse<String>> burst = inParallel(20, i -> post(server, TOKEN, onBehalfOf("nobody-" + i)));
            burst.forEach(DatabaseOutageTest::assertUnavailable);
            assertThat(getManagement(server, "/metrics").body()).contains("portcullis_database_available 0.0");

            proxy.restore();

            assertThat(eventually(20, () -> getManagement(server, "/health/ready"), r -> r.statusCode() == 200).statusCode())
                    .as("ready again without a restart").isEqualTo(200);
            assertToken(eventually(20, () -> post(server, TOKEN, onBehalfOf("bob")), r -> r.statusCode() == 200));
            assertThat(signIn(server, "back").statusCode()).isEqualTo(303);
        } finally {
            PostgresDatabases.drop(directUrl);
        }
    }

    @Test
    void aNetworkPartitionEndsEachWaitInBoundedTimeAndCachedGrantsAreNotHeldUp() throws Exception {
        String directUrl = PostgresDatabases.create();
        try (TcpProxy proxy = new TcpProxy(5432);
             TestServer server = throughProxy(proxy, directUrl, Map.of("database_wait_ms", "1000",
                     "database_statement_timeout_ms", "1000"))) {
            warm(server);

            proxy.blackhole();

            ExecutorService pool = Executors.newFixedThreadPool(10);
            try {
                List<Future<HttpResponse<String>>> stuck = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    int n = i;
                    stuck.add(pool.submit(() -> post(server, TOKEN, onBehalfOf("ghost-" + n))));
                }
                // while those wait on a database that never answers, tokens from the caches are still issued
                assertToken(post(server, TOKEN, clientCredentials()));
                assertToken(post(server, TOKEN, onBehalfOf("alice")));
                for (Future<HttpResponse<String>> response : stuck) {
                    assertUnavailable(response.get());   // the HANG timeout of each request fails the test if it never ends
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(getManagement(server, "/health/ready").statusCode()).isEqualTo(503);

            proxy.restore();

            assertThat(eventually(20, () -> getManagement(server, "/health/ready"), r -> r.statusCode() == 200).statusCode())
                    .isEqualTo(200);
            assertToken(eventually(20, () -> post(server, TOKEN, onBehalfOf("carol")), r -> r.statusCode() == 200));
        } finally {
            PostgresDatabases.drop(directUrl);
        }
    }

    /**
     * A slow database is not a down one: a table held locked makes the requests that need it give up after the
     * statement timeout (or at once, past the few allowed to wait for a connection), while the rest of the
     * database, readiness and cached grants carry on.
     */
    @Test
    void aHeldLockGivesBoundedRefusalsNotAPileUp() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.POSTGRES, YAML, Map.of("database_statement_timeout_ms", "1000",
                "database_max_waiting", "2", "database_pool_size", "4"))) {
            warm(server);
            try (Connection locker = DriverManager.getConnection(server.jdbcUrl()); Statement statement = locker.createStatement()) {
                locker.setAutoCommit(false);
                statement.execute("LOCK TABLE login_failures IN ACCESS EXCLUSIVE MODE");

                List<HttpResponse<String>> pages = inParallel(16, i -> signIn(server, "locked" + i));
                pages.forEach(DatabaseOutageTest::assertUnavailablePage);
                assertToken(post(server, TOKEN, clientCredentials()));
                assertToken(post(server, TOKEN, onBehalfOf("bob")));   // a lookup in another table: the database still answers
                assertThat(getManagement(server, "/health/ready").statusCode()).as("slow is not down").isEqualTo(200);

                locker.rollback();
            }
            assertThat(signIn(server, "unlocked").statusCode()).isEqualTo(303);
        }
    }

    /** SQLite's file locked by another writer: writes give up after the busy timeout with 503; reads go on. */
    @Test
    void aLockedSqliteFileGivesBoundedRefusals() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, YAML, Map.of("database_statement_timeout_ms", "500"))) {
            warm(server);
            try (Connection locker = DriverManager.getConnection(server.jdbcUrl()); Statement statement = locker.createStatement()) {
                locker.setAutoCommit(false);
                statement.execute("INSERT INTO login_failures (throttle_key, failures, first_failed_at, next_allowed_at) "
                        + "VALUES ('test-lock', 0, 0, 0)");   // holds SQLite's write lock until the rollback

                assertUnavailablePage(signIn(server, "locked"));
                assertToken(post(server, TOKEN, clientCredentials()));
                assertToken(post(server, TOKEN, onBehalfOf("bob")));   // reads are not blocked by a writer (WAL)

                locker.rollback();
            }
            assertThat(signIn(server, "unlocked").statusCode()).isEqualTo(303);
        }
    }

    private static List<HttpResponse<String>> inParallel(int count, java.util.function.IntFunction<HttpResponse<String>> request)
            throws RuntimeException {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> request.apply(n)));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    @SuppressWarnings("unused")
    private static JsonNode body(HttpResponse<String> response) {
        return json(response);
    }
}
