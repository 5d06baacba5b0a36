package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.grant.Pkce;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

import static dev.portcullis.admin.api.AdminApiClient.ok;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How ALPHA's users (realm U) and customers (realm C) get tokens, to show what the users and customers resources
 * change: a web client's On-Behalf-Of request (no password) and an SPA's sign-in page (the password), both clients
 * registered through the admin API itself.
 */
final class SubjectSignIns {

    static final String REDIRECT = "https://spa.example.com/callback";
    private static final String VERIFIER = "subjects-verifier-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String OBO_SCOPE = "knowledge.portalmgr.onbehalfof.read";

    private final TestServer server;
    private final String spa;
    private final String web;
    private final String webSecret;

    private SubjectSignIns(TestServer server, String spa, String web, String webSecret) {
        this.server = server;
        this.spa = spa;
        this.web = web;
        this.webSecret = webSecret;
    }

    /** Registers the two clients in ALPHA under ids ending in {@code suffix}. */
    static SubjectSignIns register(TestServer server, AdminApiClient api, String suffix) {
        String spa = "subjects-spa-" + suffix;
        String web = "subjects-web-" + suffix;
        ok(api.post("/tenants/ALPHA/clients", """
                { "client_id": "%s", "name": "Sign-in page", "platform": "spa", "consent": "skip",
                  "scopes": [ "deleg.read" ], "redirect_uris": [ "%s" ] }""".formatted(spa, REDIRECT)), 201);
        ok(api.post("/tenants/ALPHA/clients", """
                { "client_id": "%s", "name": "On behalf of", "platform": "web", "scopes": [ "%s" ] }""".formatted(web, OBO_SCOPE)),
                201);
        String secret = ok(api.post("/tenants/ALPHA/clients/" + web + "/secrets", "{}"), 201).path("value").asText();
        return new SubjectSignIns(server, spa, web, secret);
    }

    private static String realm(SubjectResource.Kind kind) {
        return kind == SubjectResource.Kind.USERS ? "ALPHA-U" : "ALPHA-C";
    }

    /** The seed's On-Behalf-Of request for a user (by username) or a customer (by email); it checks no password. */
    HttpResponse<String> onBehalfOf(SubjectResource.Kind kind, String identifier) {
        return server.postForm("/system/auth/" + realm(kind) + "/oauth2/token", form("grant_type", "password",
                "client_id", web, "client_secret", webSecret, "scope", OBO_SCOPE,
                kind == SubjectResource.Kind.USERS ? "subject_username" : "subject_email", identifier));
    }

    /**
     * Signs in on the realm's sign-in page in {@code browser} (unless its session is still signed in) and redeems the
     * code: the token response, or empty when the page refused the password.
     */
    Optional<JsonNode> signIn(BrowserClient browser, SubjectResource.Kind kind, String identifier, String password) {
        HttpResponse<String> page = browser.follow(browser.get(authorizePath(kind)));
        if (page.statusCode() == 200 && page.body().contains(">Sign in</button>")) {
            page = browser.follow(browser.submit(page, Map.of(kind == SubjectResource.Kind.USERS ? "username" : "email", identifier,
                    "password", password)));
        }
        if (page.statusCode() == 401) {
            assertThat(page.body()).contains("Incorrect");
            return Optional.empty();
        }
        assertThat(page.statusCode()).as(page.body()).isEqualTo(302);
        String code = BrowserClient.redirectParams(page).get("code");
        HttpResponse<String> tokens = server.postForm("/system/auth/" + realm(kind) + "/oauth2/token", form("grant_type",
                "authorization_code", "code", code, "redirect_uri", REDIRECT, "client_id", spa, "code_verifier", VERIFIER));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        return Optional.of(json(tokens));
    }

    /** Whether the browser's session is still signed in: the authorize request then needs no sign-in page. */
    boolean signedIn(BrowserClient browser, SubjectResource.Kind kind) {
        HttpResponse<String> page = browser.follow(browser.get(authorizePath(kind)));
        return page.statusCode() == 302 && BrowserClient.location(page).startsWith(REDIRECT);
    }

    HttpResponse<String> refresh(SubjectResource.Kind kind, String refreshToken) {
        return server.postForm("/system/auth/" + realm(kind) + "/oauth2/token", form("grant_type", "refresh_token",
                "refresh_token", refreshToken, "client_id", spa));
    }

    private String authorizePath(SubjectResource.Kind kind) {
        return "/system/auth/" + realm(kind) + "/oauth2/authorize?" + TestServer.encode(form("client_id", spa,
                "response_type", "code", "redirect_uri", REDIRECT, "scope", "deleg.read", "state", "s1",
                "code_challenge", Pkce.s256(VERIFIER), "code_challenge_method", "S256"));
    }
}
