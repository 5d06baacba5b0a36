package dev.portcullis.oidc;

import com.nimbusds.jwt.JWTParser;
import dev.portcullis.signin.SignInFixtures;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.portcullis.oidc.OpenIdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** prompt, max_age, login_hint and id_token_hint on the authorize endpoint. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenIdAuthorizeParametersTest {

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stop() {
        servers.close();
    }

    private static Map<String, String> errorOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        assertThat(BrowserClient.location(response)).startsWith(SPA_REDIRECT + "?");
        return BrowserClient.redirectParams(response);
    }

    private static String idTokenOf(TestServer server, BrowserClient browser) {
        return redeem(server, USERS, code(browser, USERS, spa("openid", "h"))).path("id_token").asText();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void promptNoneNeverShowsAPage(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        Map<String, String> none = with(spa("openid", "n1"), "prompt", "none");
        assertThat(errorOf(browser.get(authorize(USERS, none)))).containsEntry("error", "login_required").containsEntry("state", "n1")
                .containsEntry("iss", server.baseUrl() + USERS);

        code(browser, USERS, spa("openid", "in"));
        HttpResponse<String> silent = browser.get(authorize(USERS, none));
        assertThat(BrowserClient.redirectParams(silent)).containsKey("code").containsEntry("state", "n1");
        // max_age=0 needs a password entry now, which prompt=none forbids
        assertThat(errorOf(browser.get(authorize(USERS, with(none, "max_age", "0"))))).containsEntry("error", "login_required");

        // a client whose consent the user never gave
        Map<String, String> consentless = new java.util.LinkedHashMap<>(Map.of("client_id", NO_OPENID, "response_type", "code",
                "redirect_uri", NO_OPENID_REDIRECT, "scope", "core.aiservices.read", "state", "n2", "code_challenge", CHALLENGE,
                "code_challenge_method", "S256", "prompt", "none"));
        HttpResponse<String> needsConsent = browser.get(authorize(USERS, consentless));
        assertThat(BrowserClient.location(needsConsent)).startsWith(NO_OPENID_REDIRECT);
        assertThat(BrowserClient.redirectParams(needsConsent)).containsEntry("error", "consent_required");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void maxAgeAsksForThePasswordAgainWhenTheSignInIsOlder(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String first = redeem(server, USERS, code(browser, USERS, spa("openid", "m0"))).path("id_token").asText();
        long firstAuthTime = JWTParser.parse(first).getJWTClaimsSet().getLongClaim("auth_time");
        Thread.sleep(2100);

        assertThat(BrowserClient.redirectParams(browser.get(authorize(USERS, with(spa("openid", "m1"), "max_age", "3600")))))
                .containsKey("code");
        HttpResponse<String> page = browser.follow(browser.get(authorize(USERS, with(spa("openid", "m2"), "max_age", "1"))));
        assertThat(SignInFixtures.isLoginPage(page)).as(page.body()).isTrue();
        HttpResponse<String> done = browser.follow(browser.submit(page, Map.of("username", "pa", "password", PA_PASSWORD)));
        String code = BrowserClient.redirectParams(done).get("code");
        long secondAuthTime = JWTParser.parse(redeem(server, USERS, code).path("id_token").asText()).getJWTClaimsSet()
                .getLongClaim("auth_time");
        assertThat(secondAuthTime).isGreaterThan(firstAuthTime);

        HttpResponse<String> bad = browser.get(authorize(USERS, with(spa("openid", "m3"), "max_age", "soon")));
        assertThat(errorOf(bad)).containsEntry("error", "invalid_request");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void loginHintPrefillsTheIdentifierEscapedAndLimited(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = browser.get(authorize(USERS, with(spa("openid", "l1"), "login_hint", "pa")));
        assertThat(page.body()).contains("name=\"username\" type=\"text\" value=\"pa\"");
        HttpResponse<String> customer = browser.get(authorize(CUSTOMERS, with(spa("openid", "l2"), "login_hint", "jane@example.com")));
        assertThat(customer.body()).contains("name=\"email\" type=\"email\" value=\"jane@example.com\"");

        HttpResponse<String> hostile = browser.get(authorize(USERS, with(spa("openid", "l3"), "login_hint", "\"><script>alert(1)</script>")));
        assertThat(hostile.body()).doesNotContain("<script>alert(1)").contains("value=\"&#34;>&lt;script>alert(1)&lt;/script>\"");
        SignInFixtures.assertHtmlPage(hostile, 200);

        HttpResponse<String> tooLong = browser.get(authorize(USERS, with(spa("openid", "l4"), "login_hint", "x".repeat(256))));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("login_hint");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void idTokenHintForAnotherUserAsksForASignIn(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient pa = new BrowserClient(server.baseUrl());
        String paHint = idTokenOf(server, pa);
        BrowserClient pb = new BrowserClient(server.baseUrl());
        HttpResponse<String> pbIn = pb.follow(pb.get(authorize(USERS, spa("openid", "pb"))));
        assertThat(BrowserClient.redirectParams(pb.follow(pb.submit(pbIn, Map.of("username", "pb", "password", PB_PASSWORD)))))
                .containsKey("code");

        // the hint names pa while pb is signed in
        assertThat(errorOf(pb.get(authorize(USERS, with(with(spa("openid", "h1"), "prompt", "none"), "id_token_hint", paHint)))))
                .containsEntry("error", "login_required");
        HttpResponse<String> login = pb.get(authorize(USERS, with(spa("openid", "h2"), "id_token_hint", paHint)));
        assertThat(SignInFixtures.isLoginPage(login)).as(login.body()).isTrue();
        // signing in as pa completes the request: the hint is spent by the sign-in
        HttpResponse<String> done = pb.follow(pb.submit(login, Map.of("username", "pa", "password", PA_PASSWORD)));
        assertThat(BrowserClient.redirectParams(done)).containsKey("code").containsEntry("state", "h2");

        // the hint names the signed-in user: no page
        assertThat(BrowserClient.redirectParams(pa.get(authorize(USERS, with(with(spa("openid", "h3"), "prompt", "none"),
                "id_token_hint", paHint))))).containsKey("code");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHintThisRealmDidNotIssueIsRefused(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String idToken = idTokenOf(server, browser);
        String accessToken = redeem(server, USERS, code(browser, USERS, spa("openid", "a"))).path("access_token").asText();
        String customerHint = redeem(server, CUSTOMERS, code(new BrowserClient(server.baseUrl()), CUSTOMERS, spa("openid", "c")))
                .path("id_token").asText();
        String[] parts = idToken.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        for (String hint : new String[]{"garbage", accessToken, customerHint, tampered, parts[0] + "." + parts[1] + ".",
                "a.b.c", "x".repeat(9000)}) {
            HttpResponse<String> response = browser.get(authorize(USERS, with(spa("openid", "bad"), "id_token_hint", hint)));
            if (hint.length() > 8192) {
                // Jetty refuses the URI before the parameter limit could: a 414, never a 5xx
                assertThat(response.statusCode()).as("over-long hint").isIn(400, 414);
                continue;
            }
            assertThat(errorOf(response)).as(hint).containsEntry("error", "invalid_request");
        }
    }
}
