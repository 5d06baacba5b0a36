package dev.portcullis.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.signin.SignInFixtures;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import dev.portcullis.token.KeyLifecycle;
import dev.portcullis.token.MasterKey;
import dev.portcullis.token.SigningKey;
import dev.portcullis.token.SigningKeyFactory;
import dev.portcullis.token.SigningKeyRepository;
import dev.portcullis.token.SigningKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Map;

import static dev.portcullis.oidc.OpenIdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RP-Initiated Logout with an id_token_hint: a valid hint for the signed-in user ends the session
 * without asking; anything else gets the confirmation page; post_logout_redirect_uri must be registered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenIdLogoutTest {

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stop() {
        servers.close();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String signInForIdToken(TestServer server, BrowserClient browser) {
        return redeem(server, USERS, code(browser, USERS, spa("openid", "in"))).path("id_token").asText();
    }

    private static boolean signedIn(BrowserClient browser) {
        HttpResponse<String> response = browser.get(authorize(USERS, with(spa("openid", "check"), "prompt", "none")));
        return BrowserClient.redirectParams(response).containsKey("code");
    }

    private static boolean isConfirmation(HttpResponse<String> response) {
        return response.statusCode() == 200 && SignInFixtures.title(response).equals("Sign out?");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aValidHintEndsTheSessionWithoutAskingAndReturnsWithState(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String idToken = signInForIdToken(server, browser);
        HttpResponse<String> back = browser.get(USERS + "/logout?id_token_hint=" + enc(idToken) + "&post_logout_redirect_uri="
                + enc(SPA_LOGGED_OUT) + "&state=bye");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        assertThat(BrowserClient.location(back)).isEqualTo(SPA_LOGGED_OUT + "?state=bye");
        assertThat(signedIn(browser)).isFalse();

        // with client_id too, which must then name the hint's audience
        BrowserClient again = new BrowserClient(server.baseUrl());
        String second = signInForIdToken(server, again);
        HttpResponse<String> otherClient = again.get(USERS + "/logout?id_token_hint=" + enc(second) + "&client_id=" + NO_OPENID);
        assertThat(isConfirmation(otherClient)).as("a hint for another client than client_id").isTrue();
        HttpResponse<String> sameClient = again.get(USERS + "/logout?id_token_hint=" + enc(second) + "&client_id=" + SPA
                + "&post_logout_redirect_uri=" + enc(SPA_LOGGED_OUT));
        assertThat(BrowserClient.location(sameClient)).isEqualTo(SPA_LOGGED_OUT);
        assertThat(signedIn(again)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExpiredHintSignedByTheRealmStillCounts(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        signInForIdToken(server, browser);
        SigningKeyFactory factory = new SigningKeyFactory(MasterKey.decode(TestServer.MASTER_KEY), JWSAlgorithm.RS256);
        SigningKeys keys = new SigningKeys(new SigningKeyRepository(server.database().sql()), factory,
                new KeyLifecycle(server.database().sql(), factory, 1), Clock.systemUTC());
        SigningKey key = keys.activeKey(TENANT);
        long longAgo = System.currentTimeMillis() / 1000 - 86_400;
        String expired = sign(key, new JWTClaimsSet.Builder().issuer(server.baseUrl() + USERS).subject("1001").audience(SPA)
                .issueTime(new Date(longAgo * 1000)).expirationTime(new Date((longAgo + 3600) * 1000)).claim("auth_time", longAgo).build());
        HttpResponse<String> back = browser.get(USERS + "/logout?id_token_hint=" + enc(expired) + "&post_logout_redirect_uri="
                + enc(SPA_LOGGED_OUT));
        assertThat(BrowserClient.location(back)).isEqualTo(SPA_LOGGED_OUT);
        assertThat(signedIn(browser)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anyOtherHintGetsTheConfirmationPage(StoreKind store) {
        TestServer server = servers.get(store);
        BrowserClient pa = new BrowserClient(server.baseUrl());
        String paHint = signInForIdToken(server, pa);
        String paAccessToken = redeem(server, USERS, code(pa, USERS, spa("openid", "a"))).path("access_token").asText();
        String customerHint = redeem(server, CUSTOMERS, code(new BrowserClient(server.baseUrl()), CUSTOMERS, spa("openid", "c")))
                .path("id_token").asText();
        BrowserClient pb = new BrowserClient(server.baseUrl());
        HttpResponse<String> login = pb.follow(pb.get(authorize(USERS, spa("openid", "pb"))));
        pb.follow(pb.submit(login, Map.of("username", "pb", "password", PB_PASSWORD)));
        assertThat(signedIn(pb)).isTrue();

        String[] parts = paHint.split("\\.");
        for (String hint : new String[]{paHint, paAccessToken, customerHint, "garbage", parts[0] + "." + parts[1] + ".AAAA",
                parts[0] + "." + parts[1] + "."}) {
            HttpResponse<String> page = pb.get(USERS + "/logout?id_token_hint=" + enc(hint) + "&post_logout_redirect_uri="
                    + enc(SPA_LOGGED_OUT));
            assertThat(isConfirmation(page)).as("hint %s", hint).isTrue();
            SignInFixtures.assertHtmlPage(page, 200);
            assertThat(signedIn(pb)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void onlyRegisteredPostLogoutRedirectUrisAreFollowed(StoreKind store) {
        TestServer server = servers.get(store);
        for (String unregistered : new String[]{"https://evil.example/bye", SPA_REDIRECT, SPA_LOGGED_OUT + "/more", SPA_LOGGED_OUT + "?x=1"}) {
            BrowserClient browser = new BrowserClient(server.baseUrl());
            String idToken = signInForIdToken(server, browser);
            HttpResponse<String> response = browser.get(USERS + "/logout?id_token_hint=" + enc(idToken) + "&post_logout_redirect_uri="
                    + enc(unregistered) + "&state=s");
            // the hint is valid, so the session ends; the unregistered address is not followed
            assertThat(response.statusCode()).as(unregistered).isEqualTo(200);
            assertThat(SignInFixtures.title(response)).isEqualTo("Signed out");
            assertThat(response.headers().firstValue("Location")).isEmpty();
            assertThat(signedIn(browser)).isFalse();
        }
        // a client with no post_logout_redirect_uris still returns to its redirect_uris, as before OpenID Connect
        HttpResponse<String> legacy = server.get(USERS + "/logout?client_id=" + NO_OPENID + "&post_logout_redirect_uri="
                + enc(NO_OPENID_REDIRECT));
        assertThat(BrowserClient.location(legacy)).isEqualTo(NO_OPENID_REDIRECT);
    }

    private static String sign(SigningKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).type(JOSEObjectType.JWT).keyID(key.kid()).build(), claims);
            jwt.sign(key.signer());
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
