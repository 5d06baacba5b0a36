package dev.portcullis.signin;

import dev.portcullis.client.SecretHasher;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.DatabaseSnapshot;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.portcullis.signin.SignInFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Visitors who have not signed in cost no database write: the login form's CSRF token is bound to a
 * cookie holding a random value, and the session row appears only at sign-in, under a new id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnonymousVisitsTest {

    private static final String COOKIE = "portcullis_session";

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stopServers() {
        servers.close();
    }

    private static String setCookie(HttpResponse<String> response) {
        List<String> cookies = response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(COOKIE + "=")).toList();
        assertThat(cookies).as("one session cookie").hasSize(1);
        return cookies.get(0);
    }

    private static String cookieValue(String setCookie) {
        return setCookie.substring(COOKIE.length() + 1, setCookie.indexOf(';'));
    }

    /** A login post carrying exactly this cookie (or none), as a page elsewhere or a second browser would send it. */
    private static HttpResponse<String> postLogin(TestServer on, String realm, String cookieValue, Map<String, String> form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(on.baseUrl() + realm + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.encode(form)));
        if (cookieValue != null) {
            request.header("Cookie", COOKIE + "=" + cookieValue);
        }
        return on.send(request.build());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anonymousAuthorizeRequestsWriteNothing(StoreKind store) {
        TestServer server = servers.get(store);
        Map<String, List<String>> before = DatabaseSnapshot.contents(server.database().dataSource());
        BrowserClient returning = new BrowserClient(server.baseUrl());
        for (int visit = 0; visit < 10; visit++) {
            for (String realm : List.of(USERS, CUSTOMERS)) {
                assertThat(isLoginPage(server.get(authorize(realm, spa(READ, "cookieless-" + visit))))).isTrue();
                assertThat(isLoginPage(returning.get(authorize(realm, skipConsentPkce("returning-" + visit))))).isTrue();
            }
        }
        assertThat(DatabaseSnapshot.contents(server.database().dataSource()))
                .as("20 cookieless login pages and 20 for a returning browser wrote nothing").isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void failedLoginsWriteNoSessionAndSignInWritesOne(StoreKind store) {
        TestServer server = servers.get(store);
        long rowsBefore = sessionRows(server);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = browser.get(authorize(USERS, skipConsentPkce("f")));
        String preLogin = browser.cookie(COOKIE).orElseThrow();
        for (String account : List.of("pb", "pb", "nobody-here")) {
            HttpResponse<String> failed = browser.submit(page, Map.of("username", account, "password", "not-the-password"));
            assertHtmlPage(failed, 401);
            assertThat(failed.headers().allValues("Set-Cookie")).as("a failure keeps the pre-login cookie").isEmpty();
            assertThat(BrowserClient.hiddenFields(failed.body()).get("csrf")).as("and the form's token")
                    .isEqualTo(BrowserClient.hiddenFields(page.body()).get("csrf"));
        }
        assertThat(sessionRows(server)).as("failed logins write no session").isEqualTo(rowsBefore);

        HttpResponse<String> done = SignInFlow.signIn(browser, authorize(USERS, skipConsentPkce("f")), "username", "pb", PB_PASSWORD);
        assertThat(BrowserClient.redirectParams(done)).containsKey("code");
        assertThat(sessionRows(server)).as("sign-in writes the session").isEqualTo(rowsBefore + 1);
        String session = browser.cookie(COOKIE).orElseThrow();
        assertThat(session).as("sign-in issues a new id").isNotEqualTo(preLogin);
        assertThat(server.database().sql().queryOne("SELECT COUNT(*) FROM browser_sessions WHERE id_hash = ?", row -> row.getInt(1),
                SecretHasher.storedHash(session)).orElseThrow()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theLoginTokenIsBoundToTheCookieAndTheRealm(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = browser.get(authorize(USERS, skipConsentPkce("b")));
        String cookie = setCookie(page);
        assertThat(Arrays.stream(cookie.split(";")).map(String::trim).skip(1).toList())
                .contains("Path=" + USERS, "HttpOnly", "SameSite=Lax").doesNotContain("Secure");
        String value = cookieValue(cookie);
        Map<String, String> form = new LinkedHashMap<>(BrowserClient.hiddenFields(page.body()));
        form.put("username", "pa");
        form.put("password", PA_PASSWORD);

        String otherCookie = cookieValue(setCookie(server.get(authorize(USERS, skipConsentPkce("o")))));
        assertThat(title(postLogin(server, USERS, otherCookie, form))).as("another browser's cookie").isEqualTo("Sign-in expired");
        assertThat(postLogin(server, USERS, null, form).statusCode()).as("no cookie").isEqualTo(403);
        assertThat(postLogin(server, USERS, value + "x", form).statusCode()).as("a cookie that is not one of ours").isEqualTo(403);
        assertThat(postLogin(server, CUSTOMERS, value, with(with(form, "username", null), "email", "jane@example.com")).statusCode())
                .as("the user realm's token in the customer realm").isEqualTo(403);
        assertThat(postLogin(server, USERS, value, with(form, "csrf", SecretHasher.generate())).statusCode())
                .as("a made-up token").isEqualTo(403);

        HttpResponse<String> accepted = postLogin(server, USERS, value, form);
        assertThat(accepted.statusCode()).as("this cookie with its token").isEqualTo(303);
        assertThat(cookieValue(setCookie(accepted))).isNotEqualTo(value);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPlantedCookieValueIsNeverSignedIn(StoreKind store) {
        TestServer server = servers.get(store);
        // The attacker gets a value and its token, and plants the value in the victim's browser.
        String planted = cookieValue(setCookie(server.get(authorize(USERS, skipConsentPkce("p")))));
        HttpRequest victimPage = HttpRequest.newBuilder(URI.create(server.baseUrl() + authorize(USERS, skipConsentPkce("v"))))
                .header("Cookie", COOKIE + "=" + planted).GET().build();
        HttpResponse<String> page = server.send(victimPage);
        assertThat(isLoginPage(page)).isTrue();
        assertThat(page.headers().allValues("Set-Cookie")).as("a usable value is kept").isEmpty();
        Map<String, String> form = new LinkedHashMap<>(BrowserClient.hiddenFields(page.body()));
        form.put("username", "pa");
        form.put("password", PA_PASSWORD);
        HttpResponse<String> signedIn = postLogin(server, USERS, planted, form);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(cookieValue(setCookie(signedIn))).isNotEqualTo(planted);

        HttpResponse<String> attacker = server.send(victimPage);
        assertThat(isLoginPage(attacker)).as("the planted value is still not signed in").isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUnusableCookieValueIsReplacedNotSigned(StoreKind store) {
        TestServer server = servers.get(store);
        for (String junk : List.of("short", "a".repeat(44), "%00%ff", "a".repeat(42) + "!")) {
            HttpResponse<String> page = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + authorize(USERS, skipConsentPkce("j"))))
                    .header("Cookie", COOKIE + "=" + junk).GET().build());
            assertThat(isLoginPage(page)).as(junk).isTrue();
            assertThat(cookieValue(setCookie(page))).as(junk).isNotEqualTo(junk).hasSize(43);
        }
    }

    /** Instances behind a load balancer share the master key, so one can check the token another put in the form. */
    @Test
    void anotherInstanceAcceptsTheLoginForm() {
        TestServer first = servers.get(StoreKind.SQLITE);
        try (TestServer second = TestServer.startOnSqlite(Path.of(first.jdbcUrl().substring("jdbc:sqlite:".length())))) {
            HttpResponse<String> page = first.get(authorize(USERS, skipConsentPkce("lb")));
            Map<String, String> form = new LinkedHashMap<>(BrowserClient.hiddenFields(page.body()));
            form.put("username", "pa");
            form.put("password", PA_PASSWORD);
            assertThat(postLogin(second, USERS, cookieValue(setCookie(page)), form).statusCode()).isEqualTo(303);
        }
    }
}
