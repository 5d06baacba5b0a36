package dev.portcullis.signin;

import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.signin.SignInFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The consent page, Allow and Deny, remembered consent, and clients that skip consent. */
class ConsentTest {

    private static final Pattern SCOPE_LINE = Pattern.compile(
            "<li><span class=\"scope-name\">([^<]*)</span>(?:<span class=\"scope-description\">([^<]*)</span>)?</li>");

    /** No test on this server allows anything, so every subject and client starts without consent. */
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(StoreKind.SQLITE, YAML);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, String> scopeLines(HttpResponse<String> page) {
        Map<String, String> lines = new LinkedHashMap<>();
        Matcher m = SCOPE_LINE.matcher(page.body());
        while (m.find()) {
            lines.put(m.group(1), m.group(2));
        }
        return lines;
    }

    private static int consentRows(TestServer on, String subjectId, String clientId) {
        return on.database().sql().queryOne("SELECT COUNT(*) FROM consents WHERE subject_id = ? AND client_id = ?",
                row -> row.getInt(1), subjectId, clientId).orElseThrow();
    }

    /** Signs in and returns the page that follows: the consent page, or the redirect to the client. */
    private static HttpResponse<String> afterLogin(BrowserClient browser, String realm, Map<String, String> params,
                                                   String identifier, String password) {
        String field = realm.equals(USERS) ? "username" : "email";
        return browser.follow(login(browser, authorize(realm, params), field, identifier, password));
    }

    private static void assertCode(HttpResponse<String> response, String redirectUri, String state, TestServer on, String realm) {
        assertThat(response.statusCode()).as("a redirect with a code, not a page:\n%s", response.body()).isEqualTo(302);
        assertThat(BrowserClient.location(response)).startsWith(redirectUri + "?");
        assertThat(BrowserClient.redirectParams(response)).containsKey("code").containsEntry("state", state)
                .containsEntry("iss", on.baseUrl() + realm).doesNotContainKey("error");
    }

    @Test
    void theConsentPageNamesTheClientAndEachRequestedScopeWithItsDescription() {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        Map<String, String> params = plain(WEB, WEB_REDIRECT, READ + " " + PORTAL_READ, "c1");
        HttpResponse<String> page = afterLogin(browser, USERS, params, "pa", PA_PASSWORD);
        assertHtmlPage(page, 200);
        assertThat(isConsentPage(page)).as(page.body()).isTrue();
        assertThat(page.body()).contains("<strong>" + WEB_NAME + "</strong>").contains("<strong>pa</strong>")
                .contains(">Allow</button>").contains(">Deny</button>");
        assertThat(scopeLines(page)).containsExactly(Map.entry(READ, "Read AI services"), Map.entry(PORTAL_READ, "Read portal content"));
    }

    @Test
    void theCustomerRealmAsksForConsentToo() {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = afterLogin(browser, CUSTOMERS, spa(WRITE, "c2"), "jane@example.com", JANE_PASSWORD);
        assertHtmlPage(page, 200);
        assertThat(page.body()).contains("<strong>" + SPA_NAME + "</strong>").contains("<strong>jane@example.com</strong>");
        assertThat(scopeLines(page)).containsExactly(Map.entry(WRITE, "Use AI services"));
    }

    @Test
    void denyRedirectsWithAccessDeniedAndRemembersNothing() {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String state = "a b&c=d/é";
        HttpResponse<String> page = afterLogin(browser, USERS, spa(READ, state), "pb", PB_PASSWORD);
        assertThat(isConsentPage(page)).isTrue();
        HttpResponse<String> denied = browser.submit(page, Map.of("decision", "deny"));
        assertThat(denied.statusCode()).isEqualTo(302);
        assertThat(BrowserClient.location(denied)).startsWith(SPA_REDIRECT + "?");
        assertThat(BrowserClient.redirectParams(denied)).containsEntry("error", "access_denied").containsEntry("state", state)
                .containsEntry("iss", server.baseUrl() + USERS).containsKey("error_description").doesNotContainKey("code");
        assertThat(consentRows(server, "1002", SPA)).isZero();

        HttpResponse<String> again = browser.get(authorize(USERS, spa(READ, "again")));
        assertThat(isConsentPage(again)).as("still signed in, asked again:\n%s", again.body()).isTrue();
    }

    @Test
    void aDecisionOtherThanAllowOrDenyGrantsNothing() {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = afterLogin(browser, USERS, with(with(plain(PKCE_WEB, PKCE_WEB_REDIRECT, READ, "d"),
                "code_challenge", CHALLENGE), "code_challenge_method", "S256"), "pa", PA_PASSWORD);
        assertThat(isConsentPage(page)).as(page.body()).isTrue();
        for (String decision : new String[] {"", "ALLOW", "yes", "allow "}) {
            HttpResponse<String> response = browser.submit(page, Map.of("decision", decision));
            assertThat(response.statusCode()).as("decision '%s'", decision).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).isEmpty();
        }
        assertThat(consentRows(server, "1001", PKCE_WEB)).isZero();
    }

    @Test
    void aConsentSkipClientNeverAsks() {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        Map<String, String> params = with(with(plain(SKIP, SKIP_REDIRECT, READ + " " + WRITE, "k"), "code_challenge", CHALLENGE),
                "code_challenge_method", "S256");
        assertCode(afterLogin(browser, USERS, params, "pc", "password-of-pc-0004"), SKIP_REDIRECT, "k", server, USERS);
        assertCode(browser.get(authorize(USERS, with(params, "prompt", "consent"))), SKIP_REDIRECT, "k", server, USERS);
        assertCode(afterLogin(new BrowserClient(server.baseUrl()), CUSTOMERS, params, "jane@example.com", JANE_PASSWORD),
                SKIP_REDIRECT, "k", server, CUSTOMERS);
        assertThat(consentRows(server, "1003", SKIP)).isZero();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void consentIsRememberedPerSubjectClientAndScopeSet(StoreKind store) {
        try (TestServer fresh = TestServer.start(store, YAML)) {
            BrowserClient first = new BrowserClient(fresh.baseUrl());
            HttpResponse<String> page = afterLogin(first, USERS, spa(READ + " " + WRITE, "r1"), "pa", PA_PASSWORD);
            assertThat(isConsentPage(page)).as(page.body()).isTrue();
            assertCode(first.follow(first.submit(page, Map.of("decision", "allow"))), SPA_REDIRECT, "r1", fresh, USERS);
            assertThat(consentRows(fresh, "1001", SPA)).isEqualTo(2);

            BrowserClient second = new BrowserClient(fresh.baseUrl());
            assertCode(afterLogin(second, USERS, spa(WRITE + " " + READ, "r2"), "pa", PA_PASSWORD), SPA_REDIRECT, "r2", fresh, USERS);
            assertCode(afterLogin(new BrowserClient(fresh.baseUrl()), USERS, spa(READ, "r3"), "pa", PA_PASSWORD),
                    SPA_REDIRECT, "r3", fresh, USERS);

            HttpResponse<String> wider = second.get(authorize(USERS, spa(READ + " " + WRITE + " " + PORTAL_READ, "r4")));
            assertThat(isConsentPage(wider)).as("a wider scope set asks again:\n%s", wider.body()).isTrue();
            assertThat(scopeLines(wider)).containsOnlyKeys(READ, WRITE, PORTAL_READ);
            HttpResponse<String> forced = second.get(authorize(USERS, with(spa(READ, "r5"), "prompt", "consent")));
            assertThat(isConsentPage(forced)).as("prompt=consent asks again").isTrue();
            assertCode(second.follow(second.submit(wider, Map.of("decision", "allow"))), SPA_REDIRECT, "r4", fresh, USERS);
            assertCode(second.get(authorize(USERS, spa(PORTAL_READ + " " + READ, "r6"))), SPA_REDIRECT, "r6", fresh, USERS);

            HttpResponse<String> otherClient = afterLogin(new BrowserClient(fresh.baseUrl()), USERS,
                    plain(WEB, WEB_REDIRECT, READ, "r7"), "pa", PA_PASSWORD);
            assertThat(isConsentPage(otherClient)).as("consent is per client").isTrue();
            HttpResponse<String> otherSubject = afterLogin(new BrowserClient(fresh.baseUrl()), USERS, spa(READ, "r8"), "pb", PB_PASSWORD);
            assertThat(isConsentPage(otherSubject)).as("consent is per subject").isTrue();
            HttpResponse<String> otherRealm = afterLogin(new BrowserClient(fresh.baseUrl()), CUSTOMERS, spa(READ, "r9"),
                    "jane@example.com", JANE_PASSWORD);
            assertThat(isConsentPage(otherRealm)).isTrue();
        }
    }
}
