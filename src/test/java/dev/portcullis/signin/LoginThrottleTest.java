package dev.portcullis.signin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.portcullis.admin.TenantsFileException;
import dev.portcullis.admin.TenantsFileParser;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.signin.SignInFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sign-in throttling policy over real HTTP on both stores: attempts are counted before the
 * password check, delays double up to a cap and never become a lock, the limits are per tenant,
 * and a failed identifier never reaches the logs. Each test starts its own server, since every
 * request comes from 127.0.0.1 and counts against that address.
 */
class LoginThrottleTest {

    private static final Pattern RETRY = Pattern.compile("Too many failed sign-in attempts\\. Try again in (\\d+) seconds\\.");

    static String tenantsWith(String loginThrottle) {
        return YAML.replace("    name: Sign-in test tenant\n", "    name: Sign-in test tenant\n    login_throttle: " + loginThrottle + "\n");
    }

    static String skipClient(String state) {
        return authorize(USERS, with(with(plain(SKIP, SKIP_REDIRECT, READ, state), "code_challenge", CHALLENGE),
                "code_challenge_method", "S256"));
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** The wait a refused attempt states, checked to be the same in the page and in Retry-After. */
    static long retryAfter(HttpResponse<String> refused) {
        assertHtmlPage(refused, 429);
        Matcher m = RETRY.matcher(loginError(refused));
        assertThat(m.matches()).as("throttle message: %s", loginError(refused)).isTrue();
        assertThat(refused.headers().firstValue("Retry-After")).as("Retry-After states the same wait").contains(m.group(1));
        return Long.parseLong(m.group(1));
    }

    /** Lets every running delay on the account pass, as a patient attacker (or user) would wait it out. */
    static void waitOutAccountDelays(TestServer server) {
        server.database().sql().update("UPDATE login_failures SET next_allowed_at = ? WHERE throttle_key LIKE 'account:%'", now() - 1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aConcurrentBurstGetsOnlyTheFreeAttemptsToThePasswordCheck(StoreKind store) throws Exception {
        try (TestServer server = TestServer.start(store, YAML)) {
            int burst = 20;
            List<BrowserClient> browsers = new ArrayList<>();
            List<HttpResponse<String>> pages = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                BrowserClient browser = new BrowserClient(server.baseUrl());
                browsers.add(browser);
                pages.add(browser.get(skipClient("burst" + i)));
            }
            // start just past a second boundary: the 5th failure's 1 s delay must not run out inside the burst
            Thread.sleep(1050 - System.currentTimeMillis() % 1000);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(burst);
            try {
                List<Future<HttpResponse<String>>> posted = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    int n = i;
                    posted.add(pool.submit(() -> {
                        start.await();
                        return browsers.get(n).submit(pages.get(n), Map.of("username", "pa", "password", "burst-guess-" + n));
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<HttpResponse<String>> response : posted) {
                    statuses.add(response.get().statusCode());
                }
                assertThat(statuses).as("statuses of %d parallel wrong passwords", burst).containsOnly(401, 429);
                assertThat(statuses.stream().filter(s -> s == 401).count())
                        .as("only the account's 5 free attempts reach the password check").isEqualTo(5);
            } finally {
                pool.shutdownNow();
            }
            assertThat(server.database().sql().queryOne("SELECT failures FROM login_failures WHERE throttle_key = ?",
                    row -> row.getInt(1), "account:" + TENANT + "-U:pa").orElseThrow())
                    .as("refused attempts are not counted").isEqualTo(5);
        }
    }

    /**
     * Fails one password and returns the delay it set on the account, read from the database: the
     * server took its time between {@code before} and {@code after}, so the delay lies between the
     * two differences. A probe over HTTP could not see a 1 s delay reliably.
     */
    static long[] failAndMeasure(TestServer server, BrowserClient browser, HttpResponse<String> page, String account, String guess) {
        long before = now();
        assertThat(browser.submit(page, Map.of("username", account, "password", guess)).statusCode()).as(guess).isEqualTo(401);
        long after = now();
        long until = server.database().sql().queryOne("SELECT MAX(next_allowed_at) FROM login_failures WHERE throttle_key LIKE ?",
                row -> row.getLong(1), "account:" + TENANT + "-U:" + account + "%").orElseThrow();
        return new long[] {until - after, until - before};
    }

    /** Lets every running delay pass, the address's as well as the accounts'. */
    static void waitOutAllDelays(TestServer server) {
        server.database().sql().update("UPDATE login_failures SET next_allowed_at = ?", now() - 1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void delaysDoubleUpToTheCapAndNeverBecomeALock(StoreKind store) {
        try (TestServer server = TestServer.start(store, YAML)) {
            BrowserClient browser = new BrowserClient(server.baseUrl());
            HttpResponse<String> page = browser.get(skipClient("d"));
            List<Long> expected = List.of(0L, 0L, 0L, 0L, 1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L, 300L);
            for (int failure = 1; failure <= expected.size(); failure++) {
                long[] delay = failAndMeasure(server, browser, page, "pa", "guess-" + failure);
                long want = expected.get(failure - 1);
                assertThat(want).as("delay after failure %d, set between %s", failure, java.util.Arrays.toString(delay))
                        .isBetween(delay[0], delay[1]);
                if (want >= 8) {
                    // even the right password waits, and is told how long
                    assertThat(retryAfter(browser.submit(page, Map.of("username", "pa", "password", PA_PASSWORD))))
                            .isBetween(want - 3, want);
                }
                waitOutAccountDelays(server);
            }
            HttpResponse<String> signedIn = SignInFlow.signIn(browser, skipClient("after"), "username", "pa", PA_PASSWORD);
            assertThat(BrowserClient.redirectParams(signedIn)).as("no lock: the right password works once the delay has passed")
                    .containsKey("code");
            BrowserClient fresh = new BrowserClient(server.baseUrl());
            long[] afterSuccess = failAndMeasure(server, fresh, fresh.get(skipClient("again")), "pa", "wrong-again");
            // no delay: the next allowed time is not after the request ended (measuring from its start would
            // count a clock second that ticks during the request as a delay)
            assertThat(afterSuccess[0]).as("a success starts the account's count over").isLessThanOrEqualTo(0);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void eachTenantSetsItsOwnLimits(StoreKind store) {
        String tenants = tenantsWith("{ account_free_failures: 2, account_max_delay_seconds: 4, address_free_failures: 3, "
                + "address_max_delay_seconds: 600, window_seconds: 60 }");
        try (TestServer server = TestServer.start(store, tenants)) {
            BrowserClient browser = new BrowserClient(server.baseUrl());
            HttpResponse<String> page = browser.get(skipClient("t"));
            List<Long> expected = List.of(0L, 1L, 2L, 4L, 4L);
            for (int failure = 1; failure <= expected.size(); failure++) {
                waitOutAllDelays(server);
                long[] delay = failAndMeasure(server, browser, page, "pa", "guess-" + failure);
                assertThat(expected.get(failure - 1)).as("delay after failure %d: 2 free, then 1 s, 2 s and the 4 s cap", failure)
                        .isBetween(delay[0], delay[1]);
            }
            // the address has had 5 failures against its 3 free ones: 4 s for every account from here, pb's too
            HttpResponse<String> otherAccount = login(new BrowserClient(server.baseUrl()), skipClient("o"), "username", "pb", PB_PASSWORD);
            assertThat(retryAfter(otherAccount)).isBetween(2L, 4L);
        }
    }

    @Test
    void theTenantsFileRefusesBadLimitsWithTheirLine() {
        assertThatThrownBy(() -> TenantsFileParser.parse(tenantsWith("{ account_free_failures: 0 }"), "t.yaml"))
                .isInstanceOf(TenantsFileException.class)
                .hasMessage("t.yaml:4: 'account_free_failures' must be a whole number from 1 to 1000, not '0'");
        assertThatThrownBy(() -> TenantsFileParser.parse(tenantsWith("{ account_free_failures: 10, address_free_failures: 5 }"), "t.yaml"))
                .isInstanceOf(TenantsFileException.class)
                .hasMessage("t.yaml:4: address_free_failures (5) must be at least account_free_failures (10)");
        assertThatThrownBy(() -> TenantsFileParser.parse(tenantsWith("{ lock_after: 10 }"), "t.yaml"))
                .isInstanceOf(TenantsFileException.class).hasMessageStartingWith("t.yaml:4: unknown key 'lock_after' in login_throttle");
        assertThatThrownBy(() -> TenantsFileParser.parse(tenantsWith("{ window_seconds: soon }"), "t.yaml"))
                .isInstanceOf(TenantsFileException.class).hasMessageContaining("'window_seconds' must be a whole number from 60 to 86400");
    }

    @Test
    void aPasswordTypedIntoTheUsernameBoxNeverReachesTheLogs() {
        String typedPassword = "Correct-Horse-Battery-7";
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try (TestServer server = TestServer.start(StoreKind.SQLITE, YAML)) {
            BrowserClient browser = new BrowserClient(server.baseUrl());
            HttpResponse<String> page = browser.get(skipClient("p"));
            for (int attempt = 1; attempt <= 6; attempt++) {
                browser.submit(page, Map.of("username", typedPassword, "password", "whatever"));
            }
        } finally {
            root.detachAppender(log);
        }
        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("login_throttled ")
                .containsPattern("account=h:[0-9a-f]{16} ").contains("account_failures_from_address=5"));
        assertThat(lines).noneSatisfy(line -> assertThat(line.toLowerCase(Locale.ROOT))
                .contains(typedPassword.toLowerCase(Locale.ROOT).substring(0, 10)));
    }
}
