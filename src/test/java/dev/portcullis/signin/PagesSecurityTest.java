package dev.portcullis.signin;

import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.portcullis.signin.SignInFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Headers of every HTML page, CSRF on the login, consent and logout forms, return_to, and no 5xx on malformed input. */
class PagesSecurityTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(StoreKind.SQLITE, YAML);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, String> skip(String state) {
        return with(with(plain(SKIP, SKIP_REDIRECT, READ, state), "code_challenge", CHALLENGE), "code_challenge_method", "S256");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int consentRows(TestServer on, String subjectId) {
        return on.database().sql().queryOne("SELECT COUNT(*) FROM consents WHERE subject_id = ?", row -> row.getInt(1), subjectId)
                .orElseThrow();
    }

    /** Whether the browser is signed in, judged by what authorize does for the consent-skip client. */
    private static boolean signedIn(BrowserClient browser) {
        HttpResponse<String> response = browser.get(authorize(USERS, skip("probe")));
        if (response.statusCode() == 302) {
            assertThat(BrowserClient.redirectParams(response)).containsKey("code");
            return true;
        }
        assertThat(isLoginPage(response)).as(response.body()).isTrue();
        return false;
    }

    private static void assertRefused(HttpResponse<String> response, int status) {
        assertHtmlPage(response, status);
        assertThat(response.headers().allValues("Set-Cookie")).as("no session is issued").isEmpty();
    }

    // ---- headers ------------------------------------------------------------------------------------

    @Test
    void everyHtmlResponseForbidsFramingAndCaching() {
        Map<String, HttpResponse<String>> pages = new LinkedHashMap<>();
        Map<String, Integer> statuses = new LinkedHashMap<>();

        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> login = browser.get(authorize(USERS, spa(READ, "h")));
        pages.put("login page (users)", login);
        statuses.put("login page (users)", 200);
        pages.put("login page (customers)", browser.get(authorize(CUSTOMERS, spa(READ, "h"))));
        statuses.put("login page (customers)", 200);
        pages.put("login failure", browser.submit(login, Map.of("username", "pa", "password", "wrong-password")));
        statuses.put("login failure", 401);
        pages.put("login CSRF refusal", browser.submit(login, Map.of("username", "pa", "password", PA_PASSWORD, "csrf", "forged")));
        statuses.put("login CSRF refusal", 403);
        pages.put("login return_to refusal", browser.submit(login, Map.of("username", "pa", "password", PA_PASSWORD,
                "return_to", "https://evil.example/")));
        statuses.put("login return_to refusal", 400);
        HttpResponse<String> consent = browser.follow(browser.submit(login, Map.of("username", "pa", "password", PA_PASSWORD)));
        assertThat(isConsentPage(consent)).as(consent.body()).isTrue();
        pages.put("consent page", consent);
        statuses.put("consent page", 200);
        pages.put("consent CSRF refusal", browser.submit(consent, Map.of("decision", "allow", "csrf", "forged")));
        statuses.put("consent CSRF refusal", 403);
        pages.put("consent without a decision", browser.submit(consent, Map.of()));
        statuses.put("consent without a decision", 400);
        pages.put("error page", browser.get(authorize(USERS, with(spa(READ, "h"), "client_id", "nope"))));
        statuses.put("error page", 400);
        HttpResponse<String> logout = browser.get(USERS + "/logout?client_id=" + SKIP + "&post_logout_redirect_uri=" + enc(SKIP_REDIRECT));
        pages.put("logout confirmation", logout);
        statuses.put("logout confirmation", 200);
        pages.put("logout CSRF refusal", browser.submit(logout, Map.of("csrf", "forged")));
        statuses.put("logout CSRF refusal", 403);
        pages.put("signed out", browser.submit(logout, Map.of("post_logout_redirect_uri", "https://evil.example/")));
        statuses.put("signed out", 200);
        pages.put("unknown tenant", browser.get("/system/auth/NOSUCHTENANT-U/oauth2/authorize?" + TestServer.encode(spa(READ, "h"))));
        statuses.put("unknown tenant", 404);
        pages.put("not a realm", browser.get("/system/auth/garbage/oauth2/authorize?" + TestServer.encode(spa(READ, "h"))));
        statuses.put("not a realm", 404);
        pages.put("login post to an unknown realm", browser.post("/system/auth/NOSUCHTENANT-C/login", Map.of("email", "x")));
        statuses.put("login post to an unknown realm", 404);

        pages.forEach((name, response) -> {
            assertHtmlPage(response, statuses.get(name));
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(name).contains("nosniff");
        });
    }

    @Test
    void reflectedValuesAreEscaped() {
        String script = "\"><script>alert(1)</script>";
        BrowserClient browser = new BrowserClient(server.baseUrl());
        List<HttpResponse<String>> pages = new ArrayList<>();
        pages.add(browser.get(authorize(USERS, with(spa(READ, "x"), "client_id", script))));
        pages.add(browser.get(authorize(USERS, with(spa(READ, "x"), "redirect_uri", "https://x.example/" + script))));
        HttpResponse<String> login = browser.get(authorize(USERS, spa(READ, script)));
        assertThat(isLoginPage(login)).isTrue();
        assertThat(login.body()).doesNotContain("<script>");
        HttpResponse<String> failed = browser.submit(login, Map.of("username", script, "password", "wrong-password"));
        assertThat(failed.statusCode()).isEqualTo(401);
        pages.add(failed);
        for (HttpResponse<String> page : pages) {
            assertThat(page.body()).doesNotContain("<script>").doesNotContain("\"><").contains("&lt;script");
        }
        assertThat(BrowserClient.hiddenFields(login.body()).get("return_to")).contains(enc(script));
    }

    // ---- CSRF ---------------------------------------------------------------------------------------

    @Test
    void theLoginFormIsRefusedWithoutThisSessionsCsrfToken() {
        BrowserClient victim = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = victim.get(authorize(USERS, skip("v")));
        Map<String, String> form = new LinkedHashMap<>(BrowserClient.hiddenFields(page.body()));
        form.put("username", "pa");
        form.put("password", PA_PASSWORD);
        String otherSessionsToken = BrowserClient.hiddenFields(new BrowserClient(server.baseUrl())
                .get(authorize(USERS, skip("a"))).body()).get("csrf");
        assertThat(otherSessionsToken).isNotEqualTo(form.get("csrf"));

        assertRefused(victim.post(USERS + "/login", with(form, "csrf", "x".repeat(43))), 403);
        assertRefused(victim.post(USERS + "/login", with(form, "csrf", null)), 403);
        assertRefused(victim.post(USERS + "/login", with(form, "csrf", "")), 403);
        assertRefused(victim.post(USERS + "/login", with(form, "csrf", otherSessionsToken)), 403);
        assertRefused(server.postForm(USERS + "/login", form), 403);
        assertThat(title(victim.post(USERS + "/login", with(form, "csrf", null)))).isEqualTo("Sign-in expired");
        assertRefused(victim.post(CUSTOMERS + "/login", with(with(form, "email", "jane@example.com"), "password", JANE_PASSWORD)), 403);
        assertThat(signedIn(victim)).isFalse();

        HttpResponse<String> accepted = victim.post(USERS + "/login", form);
        assertThat(accepted.statusCode()).as("the same form with this session's token").isEqualTo(303);
        assertThat(signedIn(victim)).isTrue();
    }

    @Test
    void theConsentFormIsRefusedWithoutThisSessionsCsrfToken() {
        BrowserClient victim = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = victim.follow(login(victim, authorize(USERS, spa(WRITE, "v")), "username", "pb", PB_PASSWORD));
        assertThat(isConsentPage(page)).as(page.body()).isTrue();
        Map<String, String> form = new LinkedHashMap<>(BrowserClient.hiddenFields(page.body()));
        form.put("decision", "allow");

        BrowserClient attacker = new BrowserClient(server.baseUrl());
        HttpResponse<String> attackersConsent = attacker.follow(login(attacker, authorize(USERS, plain(WEB, WEB_REDIRECT, READ, "a")),
                "username", "pc", "password-of-pc-0004"));
        assertThat(isConsentPage(attackersConsent)).isTrue();
        String otherSessionsToken = BrowserClient.hiddenFields(attackersConsent.body()).get("csrf");
        String anonymousToken = BrowserClient.hiddenFields(new BrowserClient(server.baseUrl())
                .get(authorize(USERS, skip("x"))).body()).get("csrf");

        assertRefused(victim.post(USERS + "/consent", with(form, "csrf", "forged")), 403);
        assertRefused(victim.post(USERS + "/consent", with(form, "csrf", null)), 403);
        assertRefused(victim.post(USERS + "/consent", with(form, "csrf", otherSessionsToken)), 403);
        assertRefused(victim.post(USERS + "/consent", with(form, "csrf", anonymousToken)), 403);
        assertRefused(victim.post(USERS + "/consent", with(with(form, "csrf", "forged"), "decision", "deny")), 403);
        assertRefused(server.postForm(USERS + "/consent", form), 403);
        assertRefused(attacker.post(USERS + "/consent", form), 403);
        assertThat(consentRows(server, "1002")).isZero();

        HttpResponse<String> accepted = victim.post(USERS + "/consent", form);
        assertThat(accepted.statusCode()).isEqualTo(303);
        assertThat(consentRows(server, "1002")).isEqualTo(1);
    }

    @Test
    void anAnonymousSessionCannotPostTheConsentForm() {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = browser.get(authorize(USERS, spa(READ, "n")));
        Map<String, String> form = new LinkedHashMap<>(BrowserClient.hiddenFields(page.body()));
        form.put("decision", "allow");
        assertRefused(browser.post(USERS + "/consent", form), 403);
    }

    // ---- return_to -------------------------------------------------------------------------------------

    @Test
    void returnToOutsideTheRealmsAuthorizeEndpointIsRefused() {
        String validQuery = TestServer.encode(skip("rt"));
        List<String> outside = List.of(
                "https://evil.example/",
                "https://evil.example" + USERS + "/oauth2/authorize?" + validQuery,
                "//evil.example" + USERS + "/oauth2/authorize?" + validQuery,
                CUSTOMERS + "/oauth2/authorize?" + validQuery,
                "/system/auth/TOTHER02-U/oauth2/authorize?" + validQuery,
                USERS + "/logout?" + validQuery,
                USERS + "/oauth2/authorize/../../logout?" + validQuery,
                USERS + "/oauth2/authorizeX?" + validQuery,
                USERS + "/oauth2/authorize?" + TestServer.encode(with(skip("rt"), "redirect_uri", "https://evil.example/cb")),
                "");
        for (String returnTo : outside) {
            BrowserClient browser = new BrowserClient(server.baseUrl());
            HttpResponse<String> page = browser.get(authorize(USERS, skip("rt")));
            HttpResponse<String> refused = browser.submit(page, Map.of("username", "pa", "password", PA_PASSWORD, "return_to", returnTo));
            assertRefused(refused, 400);
            assertThat(refused.body()).as(returnTo).doesNotContain("evil.example/cb?");
            assertThat(signedIn(browser)).as("not signed in through return_to %s", returnTo).isFalse();
        }

        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> consent = browser.follow(login(browser, authorize(USERS, spa(PORTAL_READ, "c")), "username", "pc",
                "password-of-pc-0004"));
        assertThat(isConsentPage(consent)).isTrue();
        for (String returnTo : outside) {
            HttpResponse<String> refused = browser.submit(consent, Map.of("decision", "allow", "return_to", returnTo));
            assertHtmlPage(refused, 400);
        }
        assertThat(consentRows(server, "1003")).isZero();
    }

    // ---- no 5xx ---------------------------------------------------------------------------------------

    @Test
    void malformedRequestsNeverCauseAServerError() throws IOException {
        // its own server: the login posts below count as failures from 127.0.0.1
        try (TestServer fuzz = TestServer.start(StoreKind.SQLITE, YAML)) {
            List<String> failures = new ArrayList<>();
            String valid = TestServer.encode(spa(READ, "f"));
            String huge = "x".repeat(6000);
            List<String> queries = List.of("", "%", "%zz", "a=%", "client_id=%ff%fe", "client_id=%00", "client_id=" + huge, "=",
                    "&&&&", "==&==", "client_id=spa-client&redirect_uri=%ZZ", "client_id=" + SPA + "&redirect_uri=%00",
                    valid + "&state=" + huge, valid + "&state=%00%01%7f", valid + "&nonce=" + huge, valid + "&scope2=%ff",
                    valid.replace("scope=core.aiservices.read", "scope=%00"), valid.replace("scope=core.aiservices.read", "scope=%E2%80%8B"),
                    valid.replace("scope=core.aiservices.read", "scope=" + "a+".repeat(2000)),
                    valid + "&prompt=none+login", valid + "&prompt=" + "login+".repeat(1000), valid + "&prompt=%00",
                    valid.replace("code_challenge=", "code_challenge=%00"), valid.replace("code_challenge=", "code_challenge=" + huge),
                    "client_id=" + SPA + "&redirect_uri=javascript%3Aalert(1)", "client_id[]=x", "client_id=%25%32%35",
                    valid + "&response_type=%ff");
            for (String query : queries) {
                checkRaw(failures, fuzz, USERS + "/oauth2/authorize?" + query);
                checkRaw(failures, fuzz, CUSTOMERS + "/oauth2/authorize?" + query);
            }
            for (String path : List.of("/system/auth/%00-U/oauth2/authorize", "/system/auth/" + "A".repeat(300) + "-U/oauth2/authorize",
                    "/system/auth/TSIGNIN01-X/oauth2/authorize", "/system/auth/%E2%80%8B-U/oauth2/authorize",
                    USERS + "/logout?post_logout_redirect_uri=%zz&client_id=%ff", USERS + "/logout?client_id=%00&post_logout_redirect_uri=x",
                    USERS + "/logout?client_id=" + huge + "&post_logout_redirect_uri=" + huge + "&state=%00")) {
                checkRaw(failures, fuzz, path);
            }
            for (String cookie : List.of("portcullis_session=" + "a".repeat(4000), "portcullis_session=%00%ff", "portcullis_session=\"\"",
                    "portcullis_session=a; portcullis_session=b", "portcullis_session")) {
                check(failures, "authorize with Cookie " + abbreviate(cookie), fuzz.send(HttpRequest.newBuilder(
                        URI.create(fuzz.baseUrl() + authorize(USERS, spa(READ, "f")))).header("Cookie", cookie).GET().build()));
            }
            for (String raw : List.of("client_id=\u00ff\u00fe&state=\u00c3\u0028", "state=\u00e9\u00e9&" + valid, valid + "&state=%")) {
                checkRaw(failures, fuzz, USERS + "/oauth2/authorize?" + raw);
            }

            BrowserClient browser = new BrowserClient(fuzz.baseUrl());
            HttpResponse<String> page = browser.get(authorize(USERS, spa(READ, "f")));
            Map<String, String> hidden = BrowserClient.hiddenFields(page.body());
            String formOk = TestServer.encode(hidden);
            List<Map.Entry<String, byte[]>> loginBodies = List.of(
                    Map.entry("bad percent", ("%zz&" + formOk).getBytes(StandardCharsets.US_ASCII)),
                    Map.entry("invalid UTF-8", (formOk + "&username=%ff%fe&password=%c3%28").getBytes(StandardCharsets.US_ASCII)),
                    Map.entry("raw invalid UTF-8", concat((formOk + "&username=").getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xff})),
                    Map.entry("no fields", formOk.getBytes(StandardCharsets.US_ASCII)),
                    Map.entry("repeated csrf", (formOk + "&csrf=" + enc(hidden.get("csrf"))).getBytes(StandardCharsets.US_ASCII)),
                    Map.entry("NUL username", (formOk + "&username=pa%00&password=x").getBytes(StandardCharsets.US_ASCII)),
                    Map.entry("huge username", (formOk + "&username=" + "u".repeat(10_000) + "&password=x").getBytes(StandardCharsets.US_ASCII)),
                    Map.entry("huge password", (formOk + "&username=fuzzer&password=" + "p".repeat(12_000)).getBytes(StandardCharsets.US_ASCII)),
                    Map.entry("too large", (formOk + "&username=fuzzer&password=" + "p".repeat(40_000)).getBytes(StandardCharsets.US_ASCII)),
                    Map.entry("garbage return_to", TestServer.encode(with(with(hidden, "return_to", USERS + "/oauth2/authorize?%"),
                            "username", "fuzzer")).getBytes(StandardCharsets.US_ASCII)),
                    Map.entry("huge return_to", TestServer.encode(with(hidden, "return_to", USERS + "/oauth2/authorize?" + huge))
                            .getBytes(StandardCharsets.US_ASCII)),
                    Map.entry("empty name", ("=x&" + formOk).getBytes(StandardCharsets.US_ASCII)),
                    Map.entry("empty body", new byte[0]));
            for (Map.Entry<String, byte[]> body : loginBodies) {
                for (String contentType : new String[] {"application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=latin1"}) {
                    check(failures, "login post, " + body.getKey() + ", " + contentType, post(browser, fuzz, USERS + "/login", contentType, body.getValue()));
                }
            }
            for (String contentType : new String[] {null, "", "application/json", "multipart/form-data; boundary=x", "text/plain", ";;;", ";"}) {
                check(failures, "login post as " + contentType, post(browser, fuzz, USERS + "/login", contentType,
                        formOk.getBytes(StandardCharsets.US_ASCII)));
            }

            for (String contentType : new String[] {";;;", ";", "; charset=utf-8", ""}) {
                check(failures, "token post as '" + contentType + "'", fuzz.postRaw(USERS + "/oauth2/token", contentType,
                        "grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII)));
            }

            HttpResponse<String> consent = browser.follow(browser.submit(page, Map.of("username", "pa", "password", PA_PASSWORD)));
            assertThat(isConsentPage(consent)).as(consent.body()).isTrue();
            Map<String, String> consentHidden = BrowserClient.hiddenFields(consent.body());
            String consentOk = TestServer.encode(consentHidden);
            for (String extra : List.of("", "&decision=", "&decision=maybe", "&decision=allow&decision=deny", "&decision=%ff",
                    "&decision=%00", "&decision=" + huge, "&return_to=%00", "&x=%", "&decision=allow&return_to=" + enc(USERS + "/oauth2/authorize?%"))) {
                String body = extra.contains("return_to=") ? TestServer.encode(with(consentHidden, "return_to", null)) + extra : consentOk + extra;
                check(failures, "consent post" + abbreviate(extra), post(browser, fuzz, USERS + "/consent",
                        "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.US_ASCII)));
            }
            check(failures, "consent post, too large", post(browser, fuzz, USERS + "/consent", "application/x-www-form-urlencoded",
                    (consentOk + "&decision=allow&pad=" + "p".repeat(40_000)).getBytes(StandardCharsets.US_ASCII)));
            for (String contentType : new String[] {";;;", ";"}) {
                check(failures, "consent post as '" + contentType + "'", post(browser, fuzz, USERS + "/consent", contentType,
                        (consentOk + "&decision=allow").getBytes(StandardCharsets.US_ASCII)));
            }
            check(failures, "consent post as json", post(browser, fuzz, USERS + "/consent", "application/json",
                    "{\"decision\":\"allow\"}".getBytes(StandardCharsets.US_ASCII)));

            String logoutOk = TestServer.encode(BrowserClient.hiddenFields(browser.get(USERS + "/logout?client_id=" + SPA
                    + "&post_logout_redirect_uri=" + enc(SPA_REDIRECT)).body()));
            // the last one, well formed, ends the session
            for (String extra : List.of("&csrf=x", "&state=%00", "&state=" + huge, "&client_id=%00", "&x=%", "&%ff=%fe",
                    "&post_logout_redirect_uri=%zz", "&id_token_hint=%00", "&id_token_hint=" + huge, "")) {
                check(failures, "logout post" + abbreviate(extra), post(browser, fuzz, USERS + "/logout",
                        "application/x-www-form-urlencoded", (logoutOk + extra).getBytes(StandardCharsets.US_ASCII)));
            }
            for (String contentType : new String[] {";;;", "application/json", null}) {
                check(failures, "logout post as '" + contentType + "'", post(browser, fuzz, USERS + "/logout", contentType,
                        logoutOk.getBytes(StandardCharsets.US_ASCII)));
            }
            check(failures, "logout post, too large", post(browser, fuzz, USERS + "/logout", "application/x-www-form-urlencoded",
                    (logoutOk + "&pad=" + "p".repeat(40_000)).getBytes(StandardCharsets.US_ASCII)));

            assertThat(failures).as("requests answered with a server error").isEmpty();
        }
    }

    /** PostgreSQL refuses text containing U+0000, so a NUL must be refused before any lookup: a 4xx, never a 5xx. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void nulCharactersAreRefusedOnBothStores(StoreKind store) throws IOException {
        try (TestServer on = TestServer.start(store, YAML)) {
            List<String> failures = new ArrayList<>();
            checkRaw(failures, on, USERS + "/oauth2/authorize?client_id=%00&redirect_uri=x");
            checkRaw(failures, on, USERS + "/oauth2/authorize?client_id=spa%00client&" + TestServer.encode(with(spa(READ, "n"), "client_id", null)));
            checkRaw(failures, on, USERS + "/logout?client_id=%00&post_logout_redirect_uri=x");
            checkRaw(failures, on, USERS + "/logout?client_id=a%00b&post_logout_redirect_uri=" + enc(SPA_REDIRECT));
            for (String realm : new String[] {USERS, CUSTOMERS}) {
                BrowserClient browser = new BrowserClient(on.baseUrl());
                HttpResponse<String> page = browser.get(authorize(realm, spa(READ, "n")));
                for (String identifier : new String[] {"p\u0000a", "a\u0000@example.com", "\u0000"}) {
                    HttpResponse<String> response = browser.submit(page, Map.of(realm.equals(USERS) ? "username" : "email", identifier,
                            "password", "pass\u0000word"));
                    check(failures, "login at " + realm + " as " + identifier.replace("\u0000", "%00"), response);
                    assertThat(response.statusCode()).isNotEqualTo(303);
                }
            }
            assertThat(failures).as("requests answered with a server error on %s", store).isEmpty();
        }
    }

    private static void check(List<String> failures, String what, HttpResponse<String> response) {
        if (response.statusCode() >= 500) {
            failures.add(what + " -> " + response.statusCode() + " " + abbreviate(response.body()));
        }
    }

    /** Sent over a plain socket: java.net.URI refuses malformed escapes and raw non-ASCII, which is the point here. */
    private static void checkRaw(List<String> failures, TestServer on, String target) throws IOException {
        int status = rawGet(on, target);
        if (status >= 500 || status < 100) {
            failures.add("GET " + abbreviate(target) + " -> " + status);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** A POST carrying the browser's session cookie, with any content type and body. */
    private static HttpResponse<String> post(BrowserClient browser, TestServer on, String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(on.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        browser.cookie("portcullis_session").ifPresent(value -> request.header("Cookie", "portcullis_session=" + value));
        return on.send(request.build());
    }

    /** A GET whose request line carries the given characters as raw bytes (ISO-8859-1), as no URI class allows. */
    private static int rawGet(TestServer on, String target) throws IOException {
        URI base = URI.create(on.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return statusLine.startsWith("HTTP/1.1 ") ? Integer.parseInt(statusLine.substring(9, 12)) : -1;
        }
    }
}
