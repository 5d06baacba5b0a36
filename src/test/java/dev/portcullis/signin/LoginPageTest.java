package dev.portcullis.signin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.signin.SignInFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The login page of each realm, failures and throttling, the session cookie and session timeouts (logout: LogoutTest). */
class LoginPageTest {

    private static final String COOKIE = "portcullis_session";
    private static final Pattern LABEL = Pattern.compile("<label for=\"(identifier|password)\">([^<]*)</label>");
    private static final Pattern RETRY = Pattern.compile("Too many failed sign-in attempts\\. Try again in (\\d+) seconds\\.");

    /** Session timeouts at their configurable minimums, so tests can age sessions past them. */
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(StoreKind.SQLITE, YAML, Map.of("session_idle_timeout", "60", "session_absolute_timeout", "300"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, String> skip(String state) {
        return with(with(plain(SKIP, SKIP_REDIRECT, READ, state), "code_challenge", CHALLENGE), "code_challenge_method", "S256");
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static List<String> setCookies(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(COOKIE + "=")).toList();
    }

    private static String cookieValue(String setCookie) {
        return setCookie.substring(COOKIE.length() + 1, setCookie.indexOf(';'));
    }

    private static List<String> attributes(String setCookie) {
        return Arrays.stream(setCookie.split(";")).map(String::trim).skip(1).toList();
    }

    /** A GET sent with exactly this session cookie, as a browser holding it (or an attacker replaying it) would. */
    private static HttpResponse<String> getWithCookie(TestServer on, String path, String cookieValue) {
        return on.send(HttpRequest.newBuilder(URI.create(on.baseUrl() + path)).header("Cookie", COOKIE + "=" + cookieValue).GET().build());
    }

    private static int sessionRows(TestServer on, String cookieValue) {
        return on.database().sql().queryOne("SELECT COUNT(*) FROM browser_sessions WHERE id_hash = ?", row -> row.getInt(1),
                SecretHasher.storedHash(cookieValue)).orElseThrow();
    }

    /** Signs pa in through the consent-skip client and returns the session cookie the browser then holds. */
    private static String signedInCookie(BrowserClient browser) {
        HttpResponse<String> done = SignInFlow.signIn(browser, authorize(USERS, skip("in")), "username", "pa", PA_PASSWORD);
        assertThat(BrowserClient.redirectParams(done)).containsKey("code");
        return browser.cookie(COOKIE).orElseThrow();
    }

    private static boolean signedIn(TestServer on, String cookieValue) {
        HttpResponse<String> response = getWithCookie(on, authorize(USERS, skip("check")), cookieValue);
        if (response.statusCode() == 302) {
            assertThat(BrowserClient.redirectParams(response)).containsKey("code");
            return true;
        }
        assertThat(isLoginPage(response)).as("either a code or the login page:\n%s", response.body()).isTrue();
        return false;
    }

    // ---- the page --------------------------------------------------------------------------------

    @Test
    void theUserRealmAsksForUsernameAndPassword() {
        HttpResponse<String> page = new BrowserClient(server.baseUrl()).get(authorize(USERS, spa(READ, "s")));
        assertHtmlPage(page, 200);
        assertThat(labels(page)).containsExactly("Username", "Password");
        assertThat(page.body()).contains("name=\"username\"").doesNotContain("name=\"email\"")
                .contains("<button type=\"submit\">Sign in</button>");
    }

    @Test
    void theCustomerRealmAsksForEmailAndPassword() {
        HttpResponse<String> page = new BrowserClient(server.baseUrl()).get(authorize(CUSTOMERS, spa(READ, "s")));
        assertHtmlPage(page, 200);
        assertThat(labels(page)).containsExactly("Email", "Password");
        assertThat(page.body()).contains("name=\"email\"").doesNotContain("name=\"username\"")
                .contains("<button type=\"submit\">Sign in</button>");
    }

    private static List<String> labels(HttpResponse<String> page) {
        List<String> labels = new ArrayList<>();
        Matcher m = LABEL.matcher(page.body());
        while (m.find()) {
            labels.add(m.group(2));
        }
        return labels;
    }

    @Test
    void anUnknownAccountAndAWrongPasswordReadExactlyTheSame() {
        assertSameFailure(USERS, "username", "pa", "nobody-here", "Incorrect username or password.");
        assertSameFailure(CUSTOMERS, "email", "jane@example.com", "nobody@example.com", "Incorrect email or password.");
    }

    private static void assertSameFailure(String realm, String field, String known, String unknown, String message) {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = browser.get(authorize(realm, spa(READ, "s")));
        HttpResponse<String> wrongPassword = browser.submit(page, Map.of(field, known, "password", "not-the-password"));
        HttpResponse<String> unknownAccount = browser.submit(page, Map.of(field, unknown, "password", "not-the-password"));
        assertHtmlPage(wrongPassword, 401);
        assertHtmlPage(unknownAccount, 401);
        assertThat(loginError(wrongPassword)).isEqualTo(message);
        assertThat(loginError(unknownAccount)).isEqualTo(message);
        assertThat(wrongPassword.body()).contains("value=\"" + known + "\"");
        assertThat(unknownAccount.body()).contains("value=\"" + unknown + "\"");
        assertThat(wrongPassword.body().replace("value=\"" + known + "\"", "value=\"ACCOUNT\""))
                .as("the two pages differ only in the account typed")
                .isEqualTo(unknownAccount.body().replace("value=\"" + unknown + "\"", "value=\"ACCOUNT\""));
    }

    // ---- throttling: a fresh server per test, since every test comes from 127.0.0.1 ---------------

    private static ListAppender<ILoggingEvent> throttleLog() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger("dev.portcullis.signin.LoginThrottle")).addAppender(appender);
        return appender;
    }

    private static void detach(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger("dev.portcullis.signin.LoginThrottle")).detachAppender(appender);
    }

    private static List<String> lines(ListAppender<ILoggingEvent> appender) {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static long retryAfter(HttpResponse<String> refused) {
        assertHtmlPage(refused, 429);
        Matcher m = RETRY.matcher(loginError(refused));
        assertThat(m.matches()).as("throttle message: %s", loginError(refused)).isTrue();
        assertThat(refused.headers().firstValue("Retry-After")).as("Retry-After states the same wait").contains(m.group(1));
        return Long.parseLong(m.group(1));
    }

    @Test
    void theFifthAttemptInARowIsRefusedEvenWithTheRightPasswordButOtherAccountsAreUnaffected() {
        ListAppender<ILoggingEvent> log = throttleLog();
        try (TestServer fresh = TestServer.start(StoreKind.SQLITE, YAML)) {
            BrowserClient attacker = new BrowserClient(fresh.baseUrl());
            HttpResponse<String> page = attacker.get(authorize(USERS, skip("t")));
            for (int attempt = 1; attempt <= 4; attempt++) {
                HttpResponse<String> failed = attacker.submit(page, Map.of("username", "pa", "password", "guess-" + attempt));
                assertHtmlPage(failed, 401);
                assertThat(loginError(failed)).isEqualTo("Incorrect username or password.");
            }
            String before = attacker.cookie(COOKIE).orElseThrow();
            HttpResponse<String> fifth = attacker.submit(page, Map.of("username", "pa", "password", PA_PASSWORD));
            assertThat(retryAfter(fifth)).isBetween(1L, 2L);
            assertThat(setCookies(fifth)).as("no signed-in session is issued").isEmpty();
            assertThat(signedIn(fresh, before)).isFalse();
            assertThat(lines(log)).anySatisfy(line -> assertThat(line).startsWith("login_throttled ")
                    .contains("account=" + TENANT + "-U:pa").contains("account_failures=4"));

            BrowserClient other = new BrowserClient(fresh.baseUrl());
            HttpResponse<String> otherFailure = login(other, authorize(USERS, skip("o")), "username", "pb", "wrong-password");
            assertThat(otherFailure.statusCode()).as("another account from the same address is not throttled").isEqualTo(401);
            HttpResponse<String> done = SignInFlow.signIn(other, authorize(USERS, skip("o")), "username", "pb", PB_PASSWORD);
            assertThat(BrowserClient.redirectParams(done)).containsKey("code");
        } finally {
            detach(log);
        }
    }

    @Test
    void delaysGrowWithEachFailureAndTheTenthLocksTheAccountForFifteenMinutes() {
        ListAppender<ILoggingEvent> log = throttleLog();
        try (TestServer fresh = TestServer.start(StoreKind.SQLITE, YAML)) {
            BrowserClient browser = new BrowserClient(fresh.baseUrl());
            HttpResponse<String> page = browser.get(authorize(USERS, skip("t")));
            List<Long> delays = new ArrayList<>();
            for (int failure = 1; failure <= 10; failure++) {
                assertThat(browser.submit(page, Map.of("username", "PA", "password", "guess-" + failure)).statusCode())
                        .as("failure %d", failure).isEqualTo(401);
                HttpResponse<String> next = browser.submit(page, Map.of("username", "pa", "password", PA_PASSWORD));
                if (failure <= 3) {
                    assertThat(next.statusCode()).as("after %d failures the right password still works", failure).isEqualTo(303);
                    // signing in resets the account's count: fail again up to this point on a new page
                    browser = new BrowserClient(fresh.baseUrl());
                    page = browser.get(authorize(USERS, skip("t")));
                    for (int again = 1; again <= failure; again++) {
                        assertThat(browser.submit(page, Map.of("username", "pa", "password", "x-" + again)).statusCode()).isEqualTo(401);
                    }
                    continue;
                }
                delays.add(retryAfter(next));
                // let the delay pass, as a patient attacker would
                assertThat(fresh.database().sql().update("UPDATE login_failures SET next_allowed_at = ? WHERE throttle_key = ?",
                        now() - 1, "account:" + TENANT + "-U:pa")).isEqualTo(1);
            }
            assertThat(delays).hasSize(7);
            assertThat(delays.subList(0, 6)).as("growing delays before the lock").isSorted().doesNotHaveDuplicates()
                    .allSatisfy(d -> assertThat(d).isBetween(1L, 60L));
            assertThat(delays.get(6)).as("the tenth failure locks for 15 minutes").isBetween(890L, 900L);
            assertThat(lines(log)).anySatisfy(line -> assertThat(line).startsWith("login_locked ")
                    .contains("account=" + TENANT + "-U:pa").contains("account_failures=10").contains("lock_seconds=900"));
        } finally {
            detach(log);
        }
    }

    @Test
    void theClientAddressIsThrottledAfterTwentyFailuresAndLockedAtAHundred() {
        ListAppender<ILoggingEvent> log = throttleLog();
        try (TestServer fresh = TestServer.start(StoreKind.SQLITE, YAML)) {
            BrowserClient browser = new BrowserClient(fresh.baseUrl());
            HttpResponse<String> page = browser.get(authorize(USERS, skip("t")));
            for (int failure = 1; failure <= 20; failure++) {
                String account = "ghost" + (failure + 2) / 3;   // at most three failures per account
                assertThat(browser.submit(page, Map.of("username", account, "password", "guess")).statusCode())
                        .as("failure %d", failure).isEqualTo(401);
            }
            assertThat(lines(log)).as("twenty failures from one address are free").isEmpty();
            HttpResponse<String> stillFree = SignInFlow.signIn(new BrowserClient(fresh.baseUrl()), authorize(USERS, skip("b")),
                    "username", "pb", PB_PASSWORD);
            assertThat(BrowserClient.redirectParams(stillFree)).containsKey("code");

            assertThat(browser.submit(page, Map.of("username", "ghost99", "password", "guess")).statusCode()).isEqualTo(401);
            assertThat(lines(log)).anySatisfy(line -> assertThat(line).startsWith("login_throttled ").contains("address_failures=21"));
            HttpResponse<String> untouchedAccount = login(new BrowserClient(fresh.baseUrl()), authorize(USERS, skip("c")),
                    "username", "pc", "password-of-pc-0004");
            assertThat(retryAfter(untouchedAccount)).isBetween(1L, 2L);

            assertThat(fresh.database().sql().update("UPDATE login_failures SET failures = 99, next_allowed_at = ? "
                    + "WHERE throttle_key LIKE 'address:%'", now() - 1)).isEqualTo(1);
            assertThat(browser.submit(page, Map.of("username", "ghost100", "password", "guess")).statusCode()).isEqualTo(401);
            assertThat(lines(log)).anySatisfy(line -> assertThat(line).startsWith("login_locked ").contains("address_failures=100"));
            HttpResponse<String> locked = login(new BrowserClient(fresh.baseUrl()), authorize(USERS, skip("c")),
                    "username", "pc", "password-of-pc-0004");
            assertThat(retryAfter(locked)).isBetween(890L, 900L);
        } finally {
            detach(log);
        }
    }

    // ---- the session cookie ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {USERS, CUSTOMERS})
    void theSessionCookieIsPerRealmHttpOnlyLaxAndNotSecureOverHttp(String realm) {
        HttpResponse<String> page = new BrowserClient(server.baseUrl()).get(authorize(realm, spa(READ, "s")));
        List<String> cookies = setCookies(page);
        assertThat(cookies).hasSize(1);
        assertThat(attributes(cookies.get(0))).contains("Path=" + realm, "HttpOnly", "SameSite=Lax").doesNotContain("Secure");
        assertThat(cookieValue(cookies.get(0))).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void theSessionCookieIsSecureWhenThePublicUrlIsHttps() {
        try (TestServer https = TestServer.start(StoreKind.SQLITE, YAML, Map.of("public_url", "https://id.example.test"))) {
            HttpResponse<String> page = https.get(authorize(USERS, spa(READ, "s")));
            assertThat(isLoginPage(page)).isTrue();
            List<String> cookies = setCookies(page);
            assertThat(cookies).hasSize(1);
            assertThat(attributes(cookies.get(0))).contains("Path=" + USERS, "HttpOnly", "SameSite=Lax", "Secure");

            HttpResponse<String> error = https.get(authorize(USERS, with(spa(OBO, "s"), "prompt", "none")));
            assertThat(BrowserClient.redirectParams(error)).containsEntry("iss", "https://id.example.test" + USERS);
        }
    }

    @Test
    void theSessionIdChangesAtSignInAndThePreviousIdIsWorthless() {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = browser.get(authorize(USERS, skip("f")));
        String anonymous = cookieValue(setCookies(page).get(0));
        HttpResponse<String> posted = browser.submit(page, Map.of("username", "pa", "password", PA_PASSWORD));
        assertThat(posted.statusCode()).isEqualTo(303);
        List<String> issued = setCookies(posted);
        assertThat(issued).hasSize(1);
        String signedIn = cookieValue(issued.get(0));
        assertThat(attributes(issued.get(0))).contains("Path=" + USERS, "HttpOnly", "SameSite=Lax");
        assertThat(signedIn).isNotEqualTo(anonymous);

        assertThat(signedIn(server, signedIn)).isTrue();
        assertThat(signedIn(server, anonymous)).as("an id planted before sign-in is not signed in").isFalse();
        assertThat(sessionRows(server, anonymous)).isZero();
    }

    @Test
    void aSessionBelongsToItsRealm() {
        String userSession = signedInCookie(new BrowserClient(server.baseUrl()));
        HttpResponse<String> customerRealm = getWithCookie(server, authorize(CUSTOMERS, skip("c")), userSession);
        assertThat(isLoginPage(customerRealm)).as(customerRealm.body()).isTrue();
        assertThat(signedIn(server, userSession)).isTrue();
    }

    // ---- timeouts ---------------------------------------------------------------------------------

    @Test
    void aSessionIdleForLongerThanTheIdleTimeoutEnds() {
        String session = signedInCookie(new BrowserClient(server.baseUrl()));
        String hash = SecretHasher.storedHash(session);
        assertThat(server.database().sql().update("UPDATE browser_sessions SET last_seen_at = ? WHERE id_hash = ?", now() - 30, hash))
                .isEqualTo(1);
        assertThat(signedIn(server, session)).as("idle 30 s of 60").isTrue();

        assertThat(server.database().sql().update("UPDATE browser_sessions SET last_seen_at = ? WHERE id_hash = ?", now() - 120, hash))
                .isEqualTo(1);
        assertThat(signedIn(server, session)).as("idle 120 s of 60").isFalse();
        assertThat(sessionRows(server, session)).isZero();
    }

    @Test
    void aSessionOlderThanTheAbsoluteTimeoutEndsEvenWhenActive() {
        String session = signedInCookie(new BrowserClient(server.baseUrl()));
        String hash = SecretHasher.storedHash(session);
        assertThat(server.database().sql().update("UPDATE browser_sessions SET created_at = ?, last_seen_at = ? WHERE id_hash = ?",
                now() - 200, now(), hash)).isEqualTo(1);
        assertThat(signedIn(server, session)).as("200 s old of 300").isTrue();

        assertThat(server.database().sql().update("UPDATE browser_sessions SET created_at = ?, last_seen_at = ? WHERE id_hash = ?",
                now() - 310, now(), hash)).isEqualTo(1);
        assertThat(signedIn(server, session)).as("310 s old of 300").isFalse();
    }
}
