package dev.portcullis.web;

import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.testing.AcmeTenant.APP_CLIENT;
import static dev.portcullis.testing.AcmeTenant.APP_SECRET;
import static dev.portcullis.testing.AcmeTenant.C;
import static dev.portcullis.testing.AcmeTenant.OBO_CLIENT;
import static dev.portcullis.testing.AcmeTenant.OBO_SECRET;
import static dev.portcullis.testing.AcmeTenant.U;
import static dev.portcullis.testing.AcmeTenant.YAML;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every identifier a caller sends has a length limit, checked before any lookup, and the lookup
 * cache stays under its ceiling in bytes however many unknown ids arrive: a flood of long or
 * unique client ids can neither exhaust the heap nor stop the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputLimitsTest {

    private static final String REALM = "/system/auth/ACME-U";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stopServers() {
        servers.close();
    }

    private static String random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, length);
    }

    private static Map<String, String> clientCredentials(String clientId, String secret) {
        return form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret, "scope", "app.read");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void overLongIdentifiersAreInvalidRequestsNamingTheParameterAndItsLimit(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(server.postForm(U, clientCredentials(random(256), APP_SECRET)), 400, "invalid_request", "client_id", "255");
        assertError(server.postForm(U, clientCredentials(APP_CLIENT, random(513))), 400, "invalid_request", "client_secret", "512");
        Map<String, String> obo = form("grant_type", "password", "client_id", OBO_CLIENT, "client_secret", OBO_SECRET,
                "scope", "obo.read");
        for (String subject : List.of("subject_username", "subject_userid")) {
            Map<String, String> request = new java.util.HashMap<>(obo);
            request.put(subject, random(256));
            assertError(server.postForm(U, request), 400, "invalid_request", subject, "255");
        }
        Map<String, String> byEmail = new java.util.HashMap<>(obo);
        byEmail.put("subject_email", random(250) + "@example.com");
        assertError(server.postForm(C, byEmail), 400, "invalid_request", "subject_email");
        Map<String, String> longScope = new java.util.HashMap<>(obo);
        longScope.put("scope", "obo.read " + random(2048));
        assertError(server.postForm(U, longScope), 400, "invalid_request", "scope", "2048");
        // HTTP Basic credentials are held to the same limits
        String basic = Base64.getEncoder().encodeToString((random(300) + ":" + APP_SECRET).getBytes(StandardCharsets.UTF_8));
        assertError(server.postForm(U, form("grant_type", "client_credentials", "scope", "app.read"),
                Map.of("Authorization", "Basic " + basic)), 400, "invalid_request", "client_id");
        // introspection and revocation parse the same way
        assertError(server.postForm(REALM + "/oauth2/introspect", form("token", "x", "client_id", random(256), "client_secret", APP_SECRET)),
                400, "invalid_request", "client_id");
        assertError(server.postForm(REALM + "/oauth2/revoke", form("token", "x", "client_id", random(256))),
                400, "invalid_request", "client_id");
        // the longest allowed client_id is an ordinary unknown client
        assertError(server.postForm(U, clientCredentials(random(255), APP_SECRET)), 400, "invalid_client");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void overLongAuthorizeParametersGetAnErrorPageNotALookup(StoreKind store) {
        TestServer server = servers.get(store);
        HttpResponse<String> longClient = server.get(REALM + "/oauth2/authorize?response_type=code&client_id=" + random(300));
        assertThat(longClient.statusCode()).isEqualTo(400);
        assertThat(longClient.body()).contains("client_id").contains("255");
        HttpResponse<String> longState = server.get(REALM + "/oauth2/authorize?response_type=code&client_id=spa-client&state="
                + random(2100));
        assertThat(longState.statusCode()).isEqualTo(400);
        assertThat(longState.body()).contains("state").contains("2048");
    }

    @Test
    void aFloodOfHugeClientIdsLeavesTheHeapBoundedAndTheServerServing() throws Exception {
        TestServer server = servers.get(StoreKind.SQLITE);
        assertToken(server.postForm(U, clientCredentials(APP_CLIENT, APP_SECRET)));
        long before = usedHeapAfterGc();

        // the attack of the review: ~3,000 token requests with a 60 KB random client_id (180 MB in all)
        assertAllRefused(server, 3_000, 60_000);

        long grown = usedHeapAfterGc() - before;
        System.out.printf("heap retained after the flood: %.1f MB%n", grown / 1048576.0);
        assertThat(grown).as("heap retained after the flood, bytes").isLessThan(32L * 1024 * 1024);
        assertToken(server.postForm(U, clientCredentials(APP_CLIENT, APP_SECRET)));
    }

    @Test
    void theLookupCacheStaysUnderItsCeilingWhileUnknownIdsKeepComing() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, YAML, Map.of("cache_max_mb", "1"))) {
            assertToken(server.postForm(U, clientCredentials(APP_CLIENT, APP_SECRET)));
            // 4,000 distinct misses of the longest allowed id would take some 3 MB if kept
            assertAllRefused(server, 4_000, 255);
            String metrics = server.getManagement("/metrics").body();
            long held = gauge(metrics, "portcullis_lookup_cache_bytes");
            assertThat(gauge(metrics, "portcullis_lookup_cache_max_bytes")).isEqualTo(1024 * 1024);
            assertThat(held).isPositive().isLessThanOrEqualTo(1024 * 1024);
            // the client real traffic uses is still served
            assertToken(server.postForm(U, clientCredentials(APP_CLIENT, APP_SECRET)));
        }
    }

    /** Sends {@code count} client_credentials requests, 8 at a time, each with a new random client_id; all must be refused. */
    private static void assertAllRefused(TestServer server, int count, int clientIdLength) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                statuses.add(pool.submit(() -> server.postForm(U, clientCredentials(random(clientIdLength), APP_SECRET)).statusCode()));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isBetween(400, 499);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long gauge(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(matcher.find()).as(name + " in /metrics").isTrue();
        return (long) Double.parseDouble(matcher.group(1));
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
