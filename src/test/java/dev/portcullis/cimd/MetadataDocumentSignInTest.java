package dev.portcullis.cimd;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.portcullis.cimd.MetadataDocumentFixture.*;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client whose client_id is the URL of its metadata document signs users in like a registered public client, with
 * nothing skipped: PKCE S256, exact (native loopback) redirects, consent with its host shown, delegated scopes only,
 * no secret, no client credentials or on-behalf-of, and refresh tokens that rotate.
 */
class MetadataDocumentSignInTest {

    private static final MetadataDocumentFixture FIXTURE = new MetadataDocumentFixture();

    @AfterAll
    static void stop() {
        FIXTURE.close();
    }

    private static HttpResponse<String> signInUpToConsent(BrowserClient browser, String authorizePath) {
        HttpResponse<String> login = browser.follow(browser.get(authorizePath));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(login.body()).contains(">Sign in</button>");
        return browser.follow(browser.submit(login, Map.of("username", "pa", "password", PASSWORD)));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDesktopClientSignsInWithPkceSeesItsHostOnTheConsentPageAndRefreshes(StoreKind store) throws Exception {
        TestServer server = FIXTURE.server(store);
        String clientId = FIXTURE.loopbackClient();
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> login = browser.follow(browser.get(authorizePath(USERS,
                authorizeParams(clientId, LOOPBACK_REDIRECT, READ, "s-desk"))));
        // the login page names the client with its host, and shows the document's name as text
        assertThat(login.body()).contains("(127.0.0.1)").doesNotContain("<b>MCP</b>", "<script>alert(1)")
                .contains("&lt;b&gt;MCP&lt;/b&gt;");

        HttpResponse<String> consent = browser.follow(browser.submit(login, Map.of("username", "pa", "password", PASSWORD)));
        assertThat(consent.body()).contains(">Allow</button>")
                .contains("<p class=\"client-host\" id=\"client-host\">127.0.0.1</p>")
                .contains("id=\"loopback-warning\"")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)", "<b>MCP</b>");

        HttpResponse<String> toClient = browser.follow(browser.submit(consent, Map.of("decision", "allow")));
        assertThat(BrowserClient.location(toClient)).startsWith(LOOPBACK_REDIRECT + "?");
        Map<String, String> params = BrowserClient.redirectParams(toClient);
        assertThat(params).containsEntry("state", "s-desk");

        HttpResponse<String> tokens = server.postForm(USERS + "/oauth2/token", form("grant_type", "authorization_code",
                "code", params.get("code"), "redirect_uri", LOOPBACK_REDIRECT, "client_id", clientId, "code_verifier", VERIFIER));
        SignedJWT token = assertToken(tokens);
        assertThat(token.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(token.getJWTClaimsSet().getStringClaim("scope")).isEqualTo(READ);
        assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("1001");
        String refresh = json(tokens).path("refresh_token").asText();
        assertThat(refresh).isNotBlank();

        HttpResponse<String> refreshed = server.postForm(USERS + "/oauth2/token", form("grant_type", "refresh_token",
                "refresh_token", refresh, "client_id", clientId));
        assertToken(refreshed);
        assertThat(json(refreshed).path("refresh_token").asText()).isNotBlank().isNotEqualTo(refresh);
        assertError(server.postForm(USERS + "/oauth2/token", form("grant_type", "refresh_token", "refresh_token", refresh,
                "client_id", clientId)), 400, "invalid_grant", "already used");

        // a loopback redirect proves nothing about which program receives it: the user is asked every time
        HttpResponse<String> again = browser.follow(browser.get(authorizePath(USERS,
                authorizeParams(clientId, "http://127.0.0.1:50000/callback", READ, "s-again"))));
        assertThat(again.body()).contains(">Allow</button>").contains("id=\"loopback-warning\"");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHostedClientHasItsHostShownWithoutTheLoopbackWarningAndOnlyTheScopesItsDocumentAsksFor(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> consent = signInUpToConsent(browser, authorizePath(USERS,
                authorizeParams(FIXTURE.webClient(), WEB_REDIRECT, READ, "s-web")));
        assertThat(consent.body()).contains("id=\"client-host\">127.0.0.1<").contains("Web MCP client")
                .doesNotContain("loopback-warning");
        // write is a delegated scope of the tenant, but the document asked for read only
        HttpResponse<String> write = browser.get(authorizePath(USERS, authorizeParams(FIXTURE.webClient(), WEB_REDIRECT,
                WRITE, "s-write")));
        assertThat(BrowserClient.redirectParams(write)).containsEntry("error", "invalid_scope");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void pkceIsRequiredAndOnlyS256(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        Map<String, String> without = authorizeParams(FIXTURE.loopbackClient(), LOOPBACK_REDIRECT, READ, "s-nopkce");
        without.remove("code_challenge");
        without.remove("code_challenge_method");
        HttpResponse<String> refused = browser.get(authorizePath(USERS, without));
        assertThat(BrowserClient.location(refused)).startsWith(LOOPBACK_REDIRECT);
        assertThat(BrowserClient.redirectParams(refused)).containsEntry("error", "invalid_request")
                .hasEntrySatisfying("error_description", d -> assertThat(d).contains("must use PKCE"));

        Map<String, String> plain = authorizeParams(FIXTURE.loopbackClient(), LOOPBACK_REDIRECT, READ, "s-plain");
        plain.put("code_challenge", VERIFIER);
        plain.put("code_challenge_method", "plain");
        assertThat(BrowserClient.redirectParams(browser.get(authorizePath(USERS, plain))))
                .containsEntry("error", "invalid_request")
                .hasEntrySatisfying("error_description", d -> assertThat(d).contains("S256"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCodeCannotBeRedeemedWithoutItsVerifier(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> consent = signInUpToConsent(browser, authorizePath(USERS,
                authorizeParams(FIXTURE.loopbackClient(), LOOPBACK_REDIRECT, READ, "s-verifier")));
        String code = BrowserClient.redirectParams(browser.follow(browser.submit(consent, Map.of("decision", "allow"))))
                .get("code");
        assertError(server.postForm(USERS + "/oauth2/token", form("grant_type", "authorization_code", "code", code,
                "redirect_uri", LOOPBACK_REDIRECT, "client_id", FIXTURE.loopbackClient())), 400, "invalid_request", "code_verifier");
        assertError(server.postForm(USERS + "/oauth2/token", form("grant_type", "authorization_code", "code", code,
                        "redirect_uri", LOOPBACK_REDIRECT, "client_id", FIXTURE.loopbackClient(), "code_verifier", VERIFIER + "x")),
                400, "invalid_grant", "code_verifier");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void onlyTheDocumentsRedirectUrisAreAcceptedAndAnyOtherIsAnErrorPageNotARedirect(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        for (String redirect : new String[] {"http://127.0.0.1:49152/other", "https://evil.example/callback",
                "http://localhost:49152/callback", "http://127.0.0.1:49152/callback/", WEB_REDIRECT}) {
            HttpResponse<String> page = browser.get(authorizePath(USERS,
                    authorizeParams(FIXTURE.loopbackClient(), redirect, READ, "s-redirect")));
            assertThat(page.statusCode()).as(redirect).isEqualTo(400);
            assertThat(page.headers().firstValue("Location")).as(redirect).isEmpty();
            assertThat(page.body()).contains("is not registered for");
        }
        HttpResponse<String> web = browser.get(authorizePath(USERS,
                authorizeParams(FIXTURE.webClient(), "https://client.example/callback2", READ, "s-web-redirect")));
        assertThat(web.statusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void itGetsNeitherApplicationNorOnBehalfOfNorTheBuiltInAdminScopes(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        for (String scope : new String[] {APP, OBO, "portcullis.admin", "portcullis.admin.api"}) {
            HttpResponse<String> refused = browser.get(authorizePath(USERS,
                    authorizeParams(FIXTURE.loopbackClient(), LOOPBACK_REDIRECT, scope, "s-scope")));
            assertThat(BrowserClient.redirectParams(refused)).as(scope).containsEntry("error", "invalid_scope");
        }
        String clientId = FIXTURE.loopbackClient();
        assertError(server.postForm(USERS + "/oauth2/token", form("grant_type", "client_credentials", "client_id", clientId,
                "scope", APP)), 400, "unauthorized_client", "native (public)");
        assertError(server.postForm(USERS + "/oauth2/token", form("grant_type", "password", "client_id", clientId,
                "scope", OBO, "subject_username", "pa")), 400, "unauthorized_client");
        // a document client has no secret to send
        assertError(server.postForm(USERS + "/oauth2/token", form("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", "anything-at-all-0123456789abcdef", "scope", APP)), 400, "invalid_client", "has no secret");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void consentCannotBeSkippedEvenWithPromptNone(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> consent = signInUpToConsent(browser, authorizePath(USERS,
                authorizeParams(FIXTURE.webClient(), WEB_REDIRECT, READ, "s-first")));
        assertThat(consent.body()).contains(">Allow</button>");
        Map<String, String> silent = authorizeParams(FIXTURE.loopbackClient(), LOOPBACK_REDIRECT, READ, "s-none");
        silent.put("prompt", "none");
        assertThat(BrowserClient.redirectParams(browser.get(authorizePath(USERS, silent))))
                .containsEntry("error", "consent_required");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theCustomerRealmTakesDocumentClientsToo(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> login = browser.follow(browser.get(authorizePath(CUSTOMERS,
                authorizeParams(FIXTURE.loopbackClient(), LOOPBACK_REDIRECT, READ, "s-customer"))));
        assertThat(login.body()).contains(">Sign in</button>").contains("name=\"email\"");
        assertError(redeemMadeUpCode(server, CUSTOMERS, FIXTURE.loopbackClient()), 400, "invalid_grant");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void metadataAdvertisesDocumentsWhereTheTenantTakesThem(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        for (String document : new String[] {"oauth", "openid"}) {
            JsonNode on = metadata(server, TENANT, document);
            assertThat(on.path("client_id_metadata_document_supported").isBoolean()).as(document).isTrue();
            assertThat(on.path("client_id_metadata_document_supported").booleanValue()).as(document).isTrue();
            assertThat(on.path("token_endpoint_auth_methods_supported").toString()).contains("\"none\"");
            assertThat(metadata(server, OFF, document).has("client_id_metadata_document_supported")).as(document).isFalse();
        }
    }
}
