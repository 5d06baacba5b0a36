package dev.portcullis.signin;

import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;

import static dev.portcullis.signin.SignInFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET {realm}/oauth2/authorize}: what is shown on a page, what is redirected, and what comes back. */
class AuthorizeRequestTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(StoreKind.SQLITE, YAML);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private BrowserClient browser() {
        return new BrowserClient(server.baseUrl());
    }

    private static String issuer(String realm) {
        return server.baseUrl() + realm;
    }

    /** A redirect to {@code redirectUri} carrying an error, the state and the realm's issuer. */
    private static Map<String, String> assertErrorRedirect(HttpResponse<String> response, String redirectUri, String error,
                                                           String state, String realm) {
        assertThat(response.statusCode()).as("status; body %s", response.body()).isEqualTo(302);
        String location = BrowserClient.location(response);
        assertThat(location).startsWith(redirectUri + "?");
        Map<String, String> params = BrowserClient.redirectParams(response);
        assertThat(params).containsEntry("error", error).containsEntry("state", state)
                .containsEntry("iss", issuer(realm)).containsKey("error_description").doesNotContainKey("code");
        return params;
    }

    @ParameterizedTest
    @ValueSource(strings = {USERS, CUSTOMERS})
    void aValidRequestShowsTheLoginPageInBothRealms(String realm) {
        HttpResponse<String> page = browser().get(authorize(realm, spa(READ, "s1")));
        assertHtmlPage(page, 200);
        assertThat(isLoginPage(page)).as(page.body()).isTrue();
        assertThat(page.body()).contains(SPA_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {USERS, CUSTOMERS})
    void aValidSignInRedirectsWithCodeStateAndIssuer(String realm) {
        String field = realm.equals(USERS) ? "username" : "email";
        String identifier = realm.equals(USERS) ? "pa" : "jane@example.com";
        String password = realm.equals(USERS) ? PA_PASSWORD : JANE_PASSWORD;
        HttpResponse<String> done = SignInFlow.signIn(browser(), authorize(realm, spa(READ + " " + WRITE, "xyz")), field,
                identifier, password);
        assertThat(BrowserClient.location(done)).startsWith(SPA_REDIRECT + "?");
        Map<String, String> params = BrowserClient.redirectParams(done);
        assertThat(params.keySet()).containsExactlyInAnyOrder("code", "state", "iss");
        assertThat(params.get("code")).isNotBlank();
        assertThat(params).containsEntry("state", "xyz").containsEntry("iss", issuer(realm));
    }

    static Stream<String> nearMissRedirectUris() {
        return Stream.of(
                WEB_REDIRECT + "/",                          // trailing slash
                WEB_REDIRECT + "/extra",                     // registered one is a prefix
                "https://app.example.com/call",              // prefix of the registered one
                "https://app.example.com/Callback",          // case change in path
                "https://app.example.com/CALLBACK",
                "https://app.example.com/*",                 // wildcard
                "https://*.example.com/callback",
                WEB_REDIRECT + "?next=https://evil.example", // extra query
                WEB_REDIRECT + "#frag",
                "http://app.example.com/callback",           // scheme change
                "https://app.example.com:8443/callback",     // port change
                "https://app.example.com.evil.example/callback",
                "https://evil.example/callback",
                " " + WEB_REDIRECT,
                WEB_REDIRECT + "%20");
    }

    @ParameterizedTest
    @MethodSource("nearMissRedirectUris")
    void aRedirectUriMustMatchARegisteredOneExactlyAndIsNeverRedirectedTo(String redirectUri) {
        HttpResponse<String> page = browser().get(authorize(USERS, plain(WEB, redirectUri, READ, "s")));
        assertHtmlPage(page, 400);
        assertThat(page.body()).contains("redirect_uri").doesNotContain(">Sign in</button>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:5173", "http://127.0.0.1:5173/x", "http://localhost:5173/", "https://oauth.pstmn.io/v1/callback/",
            "https://oauth.pstmn.io/v1/", "https://oauth.pstmn.io/V1/callback"})
    void anSpaRedirectUriMustMatchExactlyToo(String redirectUri) {
        HttpResponse<String> page = browser().get(authorize(USERS, with(spa(READ, "s"), "redirect_uri", redirectUri)));
        assertHtmlPage(page, 400);
    }

    @Test
    void bothRegisteredSpaRedirectUrisAreAccepted() {
        assertThat(isLoginPage(browser().get(authorize(USERS, spa(READ, "s"))))).isTrue();
        assertThat(isLoginPage(browser().get(authorize(USERS, with(spa(READ, "s"), "redirect_uri", SPA_LOCAL_REDIRECT))))).isTrue();
    }

    static Stream<Arguments> clientOrRedirectProblems() {
        return Stream.of(
                Arguments.of("missing client_id", with(spa(READ, "s"), "client_id", null)),
                Arguments.of("empty client_id", with(spa(READ, "s"), "client_id", "")),
                Arguments.of("unknown client_id", with(spa(READ, "s"), "client_id", "no-such-client")),
                Arguments.of("client of another tenant", with(with(spa(READ, "s"), "client_id", "other-spa"), "redirect_uri",
                        OTHER_TENANT_SPA_REDIRECT)),
                Arguments.of("disabled client", plain(DISABLED, DISABLED_REDIRECT, READ, "s")),
                Arguments.of("missing redirect_uri", with(spa(READ, "s"), "redirect_uri", null)),
                Arguments.of("unregistered redirect_uri", with(spa(READ, "s"), "redirect_uri", "https://evil.example/cb")),
                Arguments.of("redirect_uri of another client", with(spa(READ, "s"), "redirect_uri", WEB_REDIRECT)),
                Arguments.of("bad client_id and bad scope", with(with(spa("nope", "s"), "client_id", "no-such-client"),
                        "code_challenge_method", "plain")),
                Arguments.of("bad redirect_uri and bad response_type", with(with(spa(READ, "s"), "redirect_uri",
                        "https://evil.example/cb"), "response_type", "token")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientOrRedirectProblems")
    void untilClientAndRedirectUriAreValidErrorsAreAnHtmlPage(String name, Map<String, String> params) {
        for (String realm : new String[] {USERS, CUSTOMERS}) {
            HttpResponse<String> page = browser().get(authorize(realm, params));
            assertHtmlPage(page, 400);
            assertThat(page.body()).doesNotContain("evil.example/cb?").doesNotContain(">Sign in</button>");
        }
    }

    static Stream<Arguments> scopeProblems() {
        return Stream.of(
                Arguments.of("on-behalf-of scope assigned to the client", OBO),
                Arguments.of("application scope assigned to the client", APP),
                Arguments.of("delegated scope not assigned to the client", UNASSIGNED),
                Arguments.of("delegated scope of another client", WRITE),
                Arguments.of("unknown scope", "no.such.scope"),
                Arguments.of("valid scope with an on-behalf-of one", READ + " " + OBO),
                Arguments.of("valid scope with an unknown one", READ + " nope"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scopeProblems")
    void onlyDelegatedScopesAssignedToTheClientAreAccepted(String name, String scope) {
        for (String realm : new String[] {USERS, CUSTOMERS}) {
            HttpResponse<String> response = browser().get(authorize(realm, plain(WEB, WEB_REDIRECT, scope, "st-" + realm)));
            assertErrorRedirect(response, WEB_REDIRECT, "invalid_scope", "st-" + realm, realm);
        }
    }

    @Test
    void theAssignedDelegatedScopesOfTheWebClientAreAccepted() {
        assertThat(isLoginPage(browser().get(authorize(USERS, plain(WEB, WEB_REDIRECT, READ + " " + PORTAL_READ, "s"))))).isTrue();
    }

    @Test
    void aMissingScopeIsAnInvalidRequest() {
        HttpResponse<String> response = browser().get(authorize(USERS, with(spa(READ, "s"), "scope", null)));
        assertErrorRedirect(response, SPA_REDIRECT, "invalid_request", "s", USERS);
    }

    @Test
    void responseTypeMustBeCode() {
        assertErrorRedirect(browser().get(authorize(USERS, with(spa(READ, "s"), "response_type", null))),
                SPA_REDIRECT, "invalid_request", "s", USERS);
        assertErrorRedirect(browser().get(authorize(USERS, with(spa(READ, "s"), "response_type", "token"))),
                SPA_REDIRECT, "unsupported_response_type", "s", USERS);
        assertErrorRedirect(browser().get(authorize(CUSTOMERS, with(spa(READ, "s"), "response_type", "code id_token"))),
                SPA_REDIRECT, "unsupported_response_type", "s", CUSTOMERS);
    }

    static Stream<Arguments> pkceProblems() {
        String tooShort = CHALLENGE.substring(0, 42);
        return Stream.of(
                Arguments.of("spa without PKCE", with(with(spa(READ, "s"), "code_challenge", null), "code_challenge_method", null)),
                Arguments.of("spa with method plain", with(spa(READ, "s"), "code_challenge_method", "plain")),
                Arguments.of("spa with plain and a verifier as challenge", with(with(spa(READ, "s"), "code_challenge_method", "plain"),
                        "code_challenge", VERIFIER)),
                Arguments.of("spa with method s256 lower case", with(spa(READ, "s"), "code_challenge_method", "s256")),
                Arguments.of("spa with no method", with(spa(READ, "s"), "code_challenge_method", null)),
                Arguments.of("spa with a method and no challenge", with(spa(READ, "s"), "code_challenge", null)),
                Arguments.of("challenge of 42 characters", with(spa(READ, "s"), "code_challenge", tooShort)),
                Arguments.of("challenge of 44 characters", with(spa(READ, "s"), "code_challenge", CHALLENGE + "A")),
                Arguments.of("challenge with base64 padding", with(spa(READ, "s"), "code_challenge", tooShort + "=")),
                Arguments.of("challenge with '+'", with(spa(READ, "s"), "code_challenge", tooShort + "+")),
                Arguments.of("challenge with '/'", with(spa(READ, "s"), "code_challenge", tooShort + "/")),
                Arguments.of("challenge of 128 verifier characters", with(spa(READ, "s"), "code_challenge", "a".repeat(128))),
                Arguments.of("web client with plain", with(with(plain(WEB, WEB_REDIRECT, READ, "s"), "code_challenge", CHALLENGE),
                        "code_challenge_method", "plain")),
                Arguments.of("web client with a challenge and no method", with(plain(WEB, WEB_REDIRECT, READ, "s"),
                        "code_challenge", CHALLENGE)),
                Arguments.of("require_pkce web client without PKCE", plain(PKCE_WEB, PKCE_WEB_REDIRECT, READ, "s")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pkceProblems")
    void pkceIsS256OnlyAndRequiredWhereTheClientMustUseIt(String name, Map<String, String> params) {
        HttpResponse<String> response = browser().get(authorize(USERS, params));
        assertErrorRedirect(response, params.get("redirect_uri"), "invalid_request", "s", USERS);
    }

    @Test
    void webClientsMayUsePkceAndRequirePkceClientsWithItAreAccepted() {
        Map<String, String> webWithout = plain(WEB, WEB_REDIRECT, READ, "s");
        Map<String, String> webWith = with(with(webWithout, "code_challenge", CHALLENGE), "code_challenge_method", "S256");
        Map<String, String> strict = with(with(plain(PKCE_WEB, PKCE_WEB_REDIRECT, READ, "s"), "code_challenge", CHALLENGE),
                "code_challenge_method", "S256");
        assertThat(isLoginPage(browser().get(authorize(USERS, webWithout)))).isTrue();
        assertThat(isLoginPage(browser().get(authorize(USERS, webWith)))).isTrue();
        assertThat(isLoginPage(browser().get(authorize(USERS, strict)))).isTrue();

        HttpResponse<String> done = SignInFlow.signIn(browser(), authorize(USERS, strict), "username", "pa", PA_PASSWORD);
        assertThat(BrowserClient.location(done)).startsWith(PKCE_WEB_REDIRECT + "?");
        assertThat(BrowserClient.redirectParams(done)).containsKey("code").containsEntry("state", "s");
    }

    @Test
    void stateComesBackUnchangedOnSuccessAndOnError() {
        String state = "a b&c=d/é";
        HttpResponse<String> done = SignInFlow.signIn(browser(), authorize(CUSTOMERS, spa(READ, state)), "email",
                "jane@example.com", JANE_PASSWORD);
        assertThat(BrowserClient.redirectParams(done)).containsEntry("state", state).containsKey("code")
                .containsEntry("iss", issuer(CUSTOMERS));

        assertErrorRedirect(browser().get(authorize(USERS, spa(OBO, state))), SPA_REDIRECT, "invalid_scope", state, USERS);
    }

    @Test
    void withoutStateNoStateComesBack() {
        HttpResponse<String> response = browser().get(authorize(USERS, with(spa(OBO, "x"), "state", null)));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(BrowserClient.redirectParams(response)).containsEntry("error", "invalid_scope").doesNotContainKey("state")
                .containsEntry("iss", issuer(USERS));
    }

    @Test
    void nonceAndUnknownParametersAreAcceptedAndIgnored() {
        Map<String, String> params = with(with(with(spa(READ, "n1"), "nonce", "n-0S6_WzA2Mj"), "forceLogin", "yes"), "domain_hint", "x");
        HttpResponse<String> page = browser().get(authorize(USERS, params));
        assertThat(isLoginPage(page)).as(page.body()).isTrue();
        HttpResponse<String> done = SignInFlow.signIn(browser(), authorize(USERS, params), "username", "pa", PA_PASSWORD);
        assertThat(BrowserClient.redirectParams(done)).containsKey("code").containsEntry("state", "n1");
    }

    @Test
    void promptLoginShowsTheLoginPageEvenWithASession() {
        BrowserClient browser = browser();
        HttpResponse<String> first = SignInFlow.signIn(browser, authorize(USERS, skipWithPkce(READ, "p1")), "username",
                "pa", PA_PASSWORD);
        assertThat(BrowserClient.redirectParams(first)).containsKey("code");

        HttpResponse<String> again = browser.get(authorize(USERS, skipWithPkce(READ, "p2")));
        assertThat(again.statusCode()).as("signed in: straight back with a code").isEqualTo(302);
        assertThat(BrowserClient.redirectParams(again)).containsKey("code").containsEntry("state", "p2");

        Map<String, String> forced = with(skipWithPkce(READ, "p3"), "prompt", "login");
        HttpResponse<String> page = browser.get(authorize(USERS, forced));
        assertThat(isLoginPage(page)).as(page.body()).isTrue();
        HttpResponse<String> done = browser.follow(browser.submit(page, Map.of("username", "pa", "password", PA_PASSWORD)));
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(BrowserClient.location(done)).startsWith(SKIP_REDIRECT + "?");
        assertThat(BrowserClient.redirectParams(done)).containsKey("code").containsEntry("state", "p3");
    }

    @Test
    void promptNoneWithoutASessionIsLoginRequired() {
        Map<String, String> params = with(spa(READ, "pn"), "prompt", "none");
        assertErrorRedirect(browser().get(authorize(USERS, params)), SPA_REDIRECT, "login_required", "pn", USERS);
        assertErrorRedirect(browser().get(authorize(CUSTOMERS, params)), SPA_REDIRECT, "login_required", "pn", CUSTOMERS);
    }

    @Test
    void promptNoneWithASessionReturnsACode() {
        BrowserClient browser = browser();
        SignInFlow.signIn(browser, authorize(USERS, skipWithPkce(READ, "a")), "username", "pb", PB_PASSWORD);
        HttpResponse<String> silent = browser.get(authorize(USERS, with(skipWithPkce(READ, "b"), "prompt", "none")));
        assertThat(silent.statusCode()).isEqualTo(302);
        assertThat(BrowserClient.redirectParams(silent)).containsKey("code").containsEntry("state", "b").doesNotContainKey("error");
    }

    private static Map<String, String> skipWithPkce(String scope, String state) {
        return with(with(plain(SKIP, SKIP_REDIRECT, scope, state), "code_challenge", CHALLENGE), "code_challenge_method", "S256");
    }

    static Stream<Arguments> repeatedParameters() {
        String base = TestServerQueries.query(skipWithPkce(READ, "r"));
        return Stream.of(
                Arguments.of("two scope", base + "&scope=" + WRITE),
                Arguments.of("two identical scope", base + "&scope=" + READ),
                Arguments.of("two state", base + "&state=other"),
                Arguments.of("two client_id", base + "&client_id=" + SKIP),
                Arguments.of("two redirect_uri", base + "&redirect_uri=" + TestServerQueries.encode(SKIP_REDIRECT)),
                Arguments.of("two code_challenge", base + "&code_challenge=" + CHALLENGE),
                Arguments.of("two response_type", base + "&response_type=code"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repeatedParameters")
    void repeatedParametersAreRefusedEvenWhenSignedIn(String name, String query) {
        BrowserClient browser = browser();
        HttpResponse<String> control = SignInFlow.signIn(browser, authorize(USERS, skipWithPkce(READ, "x")), "username", "pc",
                "password-of-pc-0004");
        assertThat(BrowserClient.redirectParams(control)).containsKey("code");
        assertThat(browser.get(USERS + "/oauth2/authorize?" + TestServerQueries.query(skipWithPkce(READ, "r"))).statusCode())
                .as("the same request without the repetition gets a code").isEqualTo(302);

        HttpResponse<String> response = browser.get(USERS + "/oauth2/authorize?" + query);
        assertHtmlPage(response, 400);
        assertThat(response.body()).contains("repeated");
    }

    /** Query-string helpers for hand-built queries. */
    static final class TestServerQueries {
        static String query(Map<String, String> params) {
            return TestServer.encode(params);
        }

        static String encode(String value) {
            return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
