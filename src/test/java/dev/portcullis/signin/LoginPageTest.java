package dev.portcullis.signin;

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

/** The login page of each realm, failures, the session cookie and session timeouts (throttling: LoginThrottleTest; logout: LogoutTest). */
class LoginPageTest {

    private static final String COOKIE = "portcullis_session";
    private static final Pattern LABEL = Pattern.compile("<label for=\"(identifier|password)\">([^<]*)</label>");

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

    // throttling: see LoginThrottleTest and ClientAddressThrottleTest

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
