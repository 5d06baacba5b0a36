package dev.portcullis.signin;

import dev.portcullis.client.SecretHasher;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.DatabaseSnapshot;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.portcullis.signin.SignInFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code {realm}/logout} after OpenID RP-Initiated Logout: a GET only asks, the confirmation form
 * carries the session's CSRF token, and post_logout_redirect_uri is honoured only when registered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogoutTest {

    private static final String COOKIE = "portcullis_session";

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stopServers() {
        servers.close();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Signs pa in through the consent-skip client and returns the session cookie the browser then holds. */
    private static String signIn(BrowserClient browser) {
        HttpResponse<String> done = SignInFlow.signIn(browser, authorize(USERS, skipConsentPkce("in")), "username", "pa", PA_PASSWORD);
        assertThat(BrowserClient.redirectParams(done)).containsKey("code");
        return browser.cookie(COOKIE).orElseThrow();
    }

    private static boolean signedIn(TestServer on, String cookieValue) {
        HttpResponse<String> response = on.send(HttpRequest.newBuilder(URI.create(on.baseUrl() + authorize(USERS, skipConsentPkce("check"))))
                .header("Cookie", COOKIE + "=" + cookieValue).GET().build());
        if (response.statusCode() == 302) {
            assertThat(BrowserClient.redirectParams(response)).containsKey("code");
            return true;
        }
        assertThat(isLoginPage(response)).as("either a code or the login page:\n%s", response.body()).isTrue();
        return false;
    }

    private static boolean isConfirmation(HttpResponse<String> response) {
        return response.statusCode() == 200 && title(response).equals("Sign out?") && response.body().contains(">Sign out</button>")
                && response.body().contains("<form method=\"post\" action=\"" + USERS + "/logout\">");
    }

    private static List<String> sessionCookies(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(COOKIE + "=")).toList();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aGetOnlyAsksAndEndsNothing(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String session = signIn(browser);
        Map<String, List<String>> before = DatabaseSnapshot.contents(server.database().dataSource());
        for (String query : List.of("", "?client_id=" + SKIP + "&post_logout_redirect_uri=" + enc(SKIP_REDIRECT) + "&state=s",
                "?id_token_hint=" + "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMDAxIn0." + "&client_id=" + SKIP)) {
            HttpResponse<String> page = browser.get(USERS + "/logout" + query);
            assertHtmlPage(page, 200);
            assertThat(isConfirmation(page)).as("confirmation for '%s':\n%s", query, page.body()).isTrue();
            assertThat(BrowserClient.hiddenFields(page.body()).get("csrf")).isNotEmpty();
            assertThat(sessionCookies(page)).as("the cookie is left alone").isEmpty();
        }
        assertThat(DatabaseSnapshot.contents(server.database().dataSource())).as("nothing written or deleted").isEqualTo(before);
        assertThat(signedIn(server, session)).as("an image tag can no longer sign the user out").isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void confirmingEndsTheSessionAndReturnsToTheRegisteredUriWithState(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String session = signIn(browser);
        HttpResponse<String> page = browser.get(USERS + "/logout?client_id=" + SKIP + "&post_logout_redirect_uri="
                + enc(SKIP_REDIRECT) + "&state=bye%20now");
        assertThat(isConfirmation(page)).as(page.body()).isTrue();
        assertThat(page.body()).contains("<strong>First-party console</strong> asks to sign you out");
        assertThat(BrowserClient.hiddenFields(page.body())).containsEntry("client_id", SKIP)
                .containsEntry("post_logout_redirect_uri", SKIP_REDIRECT).containsEntry("state", "bye now");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("form-action 'self' https://skip.example.com;"));

        HttpResponse<String> back = browser.submit(page, Map.of());
        assertThat(back.statusCode()).isEqualTo(302);
        assertThat(BrowserClient.location(back)).startsWith(SKIP_REDIRECT + "?");
        assertThat(BrowserClient.redirectParams(back)).containsExactly(Map.entry("state", "bye now"));
        assertThat(back.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(sessionCookies(back)).singleElement().satisfies(c -> assertThat(c).contains("Max-Age=0", "Path=" + USERS));
        assertThat(signedIn(server, session)).as("the old cookie, replayed").isFalse();
        assertThat(server.database().sql().queryOne("SELECT COUNT(*) FROM browser_sessions WHERE id_hash = ?", row -> row.getInt(1),
                SecretHasher.storedHash(session)).orElseThrow()).isZero();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void confirmingWithoutAReturnAddressShowsSignedOut(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String session = signIn(browser);
        HttpResponse<String> page = browser.get(USERS + "/logout");
        assertThat(page.body()).contains("Sign out of Sign-in test tenant on this browser?");
        assertThat(BrowserClient.hiddenFields(page.body())).containsOnlyKeys("csrf");
        HttpResponse<String> out = browser.submit(page, Map.of());
        assertHtmlPage(out, 200);
        assertThat(title(out)).isEqualTo("Signed out");
        assertThat(sessionCookies(out)).singleElement().satisfies(c -> assertThat(c).contains("Max-Age=0", "Path=" + USERS));
        assertThat(signedIn(server, session)).isFalse();
        assertThat(isLoginPage(browser.get(authorize(USERS, skipConsentPkce("after"))))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPostWithoutThisSessionsCsrfTokenEndsNothing(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient victim = new BrowserClient(server.baseUrl());
        String session = signIn(victim);
        Map<String, String> form = new LinkedHashMap<>(BrowserClient.hiddenFields(victim.get(USERS + "/logout?client_id=" + SKIP
                + "&post_logout_redirect_uri=" + enc(SKIP_REDIRECT)).body()));
        BrowserClient other = new BrowserClient(server.baseUrl());
        signIn(other);
        String otherSessionsToken = BrowserClient.hiddenFields(other.get(USERS + "/logout").body()).get("csrf");
        String loginPageToken = BrowserClient.hiddenFields(new BrowserClient(server.baseUrl())
                .get(authorize(USERS, skipConsentPkce("x"))).body()).get("csrf");

        for (String csrf : List.of("forged", "x".repeat(43), otherSessionsToken, loginPageToken)) {
            HttpResponse<String> refused = victim.post(USERS + "/logout", with(form, "csrf", csrf));
            assertHtmlPage(refused, 403);
            assertThat(title(refused)).isEqualTo("Sign-out expired");
            assertThat(refused.headers().allValues("Set-Cookie")).isEmpty();
        }
        for (String missing : new String[] {null, ""}) {
            HttpResponse<String> withoutToken = victim.post(USERS + "/logout", with(form, "csrf", missing));
            assertThat(isConfirmation(withoutToken)).as("a client's POST without a token is asked like a GET").isTrue();
        }
        assertThat(signedIn(server, session)).as("no post without the token ended the session").isTrue();

        HttpResponse<String> confirmed = victim.post(USERS + "/logout", form);
        assertThat(confirmed.statusCode()).isEqualTo(302);
        assertThat(signedIn(server, session)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void postLogoutRedirectUriIsHonouredOnlyWhenRegisteredForTheEnabledClient(StoreKind store) {
        TestServer server = servers.get(store);
        for (String query : List.of(
                "client_id=" + SKIP + "&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2Fcallback",
                "client_id=" + SKIP + "&post_logout_redirect_uri=" + enc(WEB_REDIRECT),
                "client_id=" + SKIP + "&post_logout_redirect_uri=" + enc(SKIP_REDIRECT + "/more"),
                "client_id=" + SKIP + "&post_logout_redirect_uri=" + enc("https://skip.example.com/"),
                "client_id=no-such-client&post_logout_redirect_uri=" + enc(SKIP_REDIRECT),
                "post_logout_redirect_uri=" + enc(SKIP_REDIRECT),
                "client_id=other-spa&post_logout_redirect_uri=" + enc(OTHER_TENANT_SPA_REDIRECT),
                "client_id=" + DISABLED + "&post_logout_redirect_uri=" + enc(DISABLED_REDIRECT))) {
            BrowserClient someone = new BrowserClient(server.baseUrl());
            String theirs = signIn(someone);
            HttpResponse<String> page = someone.get(USERS + "/logout?" + query + "&state=s");
            assertThat(isConfirmation(page)).as(query).isTrue();
            assertThat(BrowserClient.hiddenFields(page.body())).as(query).doesNotContainKeys("post_logout_redirect_uri", "state");
            HttpResponse<String> out = someone.submit(page, Map.of());
            assertHtmlPage(out, 200);
            assertThat(title(out)).as(query).isEqualTo("Signed out");
            assertThat(signedIn(server, theirs)).as("signed out anyway: %s", query).isFalse();
        }

        // The post is checked again: a registered address cannot be swapped in the confirmation form.
        BrowserClient browser = new BrowserClient(server.baseUrl());
        signIn(browser);
        HttpResponse<String> page = browser.get(USERS + "/logout?client_id=" + SKIP + "&post_logout_redirect_uri=" + enc(SKIP_REDIRECT));
        HttpResponse<String> swapped = browser.submit(page, Map.of("post_logout_redirect_uri", "https://evil.example/callback"));
        assertHtmlPage(swapped, 200);
        assertThat(title(swapped)).isEqualTo("Signed out");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutASessionThereIsNothingToConfirm(StoreKind store) {
        TestServer server = servers.get(store);
        Map<String, List<String>> before = DatabaseSnapshot.contents(server.database().dataSource());
        HttpResponse<String> out = server.get(USERS + "/logout");
        assertHtmlPage(out, 200);
        assertThat(title(out)).isEqualTo("Signed out");
        assertThat(out.body()).doesNotContain("<form");
        HttpResponse<String> back = server.get(USERS + "/logout?client_id=" + SKIP + "&post_logout_redirect_uri=" + enc(SKIP_REDIRECT)
                + "&state=gone");
        assertThat(back.statusCode()).isEqualTo(302);
        assertThat(BrowserClient.location(back)).isEqualTo(SKIP_REDIRECT + "?state=gone");
        assertThat(server.postForm(USERS + "/logout", Map.of("csrf", "anything")).statusCode()).isEqualTo(200);
        assertThat(DatabaseSnapshot.contents(server.database().dataSource())).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void logoutInOneRealmDoesNotEndTheOtherRealmsSession(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String session = signIn(browser);
        HttpResponse<String> out = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + CUSTOMERS + "/logout"))
                .header("Cookie", COOKIE + "=" + session).GET().build());
        assertThat(title(out)).isEqualTo("Signed out");
        String token = BrowserClient.hiddenFields(browser.get(USERS + "/logout").body()).get("csrf");
        HttpResponse<String> posted = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + CUSTOMERS + "/logout"))
                .header("Cookie", COOKIE + "=" + session).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + enc(token))).build());
        assertThat(title(posted)).isEqualTo("Signed out");
        assertThat(signedIn(server, session)).isTrue();
    }
}
