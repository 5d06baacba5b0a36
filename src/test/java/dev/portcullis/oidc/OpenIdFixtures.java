package dev.portcullis.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.grant.Pkce;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant with the OpenID scopes (openid, profile, email as delegated scopes), an spa and a web
 * client that may use them, a client without openid, and a second tenant with no On-Behalf-Of client.
 */
final class OpenIdFixtures {

    static final String TENANT = "TOIDC01";
    static final String USERS = "/system/auth/" + TENANT + "-U";
    static final String CUSTOMERS = "/system/auth/" + TENANT + "-C";
    static final String PLAIN_TENANT = "TOIDCPLAIN";

    static final String SPA = "oidc-spa";
    static final String SPA_REDIRECT = "http://127.0.0.1:5173/cb";
    static final String SPA_LOGGED_OUT = "http://127.0.0.1:5173/bye";
    static final String WEB = "oidc-web";
    static final String WEB_SECRET = "oidc-web-secret-0123456789abcdefghijklmn";
    static final String WEB_REDIRECT = "https://rp.example.com/login/oauth2/code/portcullis";
    static final String NO_OPENID = "no-openid-spa";
    static final String NO_OPENID_REDIRECT = "https://plain.example.com/cb";

    static final String PA_PASSWORD = "password-of-pa-0001";
    static final String PB_PASSWORD = "password-of-pb-0002";
    static final String JANE_PASSWORD = "password-of-jane-0003";
    static final String VERIFIER = "oidc-verifier-0123456789-0123456789-0123456789";
    static final String CHALLENGE = Pkce.s256(VERIFIER);

    static final String YAML = """
            tenants:
              - id: TOIDC01
                name: OpenID test tenant
                scopes:
                  - { name: openid, kind: delegated, description: Sign you in }
                  - { name: profile, kind: delegated, description: Know your username }
                  - { name: email, kind: delegated, description: Know your email address }
                  - { name: core.aiservices.read, kind: delegated, description: Read AI services }
                  - { name: knowledge.portalmgr.onbehalfof.read, kind: on-behalf-of, description: Read on behalf }
                  - { name: app.knowledge.contentmgr.manage, kind: application, description: Manage as the app }
                users:
                  - { id: "1001", username: pa, email: pa@example.com, password: "%s" }
                  - { id: "1002", username: pb, email: pb@example.com, password: "%s" }
                customers:
                  - { id: "c-2001", email: jane@example.com, password: "%s" }
                clients:
                  - client_id: oidc-spa
                    name: OpenID SPA
                    platform: spa
                    consent: skip
                    scopes: [ openid, profile, email, core.aiservices.read ]
                    redirect_uris: [ "http://127.0.0.1:5173/cb" ]
                    post_logout_redirect_uris: [ "http://127.0.0.1:5173/bye" ]
                  - client_id: oidc-web
                    name: OpenID web app
                    platform: web
                    secrets: [ "%s" ]
                    scopes: [ openid, profile, email, core.aiservices.read, knowledge.portalmgr.onbehalfof.read,
                              app.knowledge.contentmgr.manage ]
                    redirect_uris: [ "https://rp.example.com/login/oauth2/code/portcullis" ]
                  - client_id: no-openid-spa
                    name: Plain OAuth SPA
                    platform: spa
                    scopes: [ core.aiservices.read ]
                    redirect_uris: [ "https://plain.example.com/cb" ]
              - id: TOIDCPLAIN
                name: No On-Behalf-Of here
                scopes:
                  - { name: openid, kind: delegated, description: Sign you in }
                  - { name: knowledge.portalmgr.onbehalfof.read, kind: on-behalf-of, description: Read on behalf }
                  - { name: app.read, kind: application, description: Read as the app }
                clients:
                  - client_id: plain-app
                    name: Application only
                    platform: web
                    secrets: [ "plain-app-secret-0123456789abcdefghijklm" ]
                    scopes: [ app.read ]
            """.formatted(PA_PASSWORD, PB_PASSWORD, JANE_PASSWORD, WEB_SECRET);

    private OpenIdFixtures() {
    }

    /** An spa authorize request with PKCE. */
    static Map<String, String> spa(String scope, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", SPA);
        params.put("response_type", "code");
        params.put("redirect_uri", SPA_REDIRECT);
        params.put("scope", scope);
        params.put("state", state);
        params.put("code_challenge", CHALLENGE);
        params.put("code_challenge_method", "S256");
        return params;
    }

    static Map<String, String> with(Map<String, String> params, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(params);
        copy.put(name, value);
        return copy;
    }

    static String authorize(String realm, Map<String, String> params) {
        return realm + "/oauth2/authorize?" + TestServer.encode(params);
    }

    /** Signs in (or reuses the browser's session) and returns the code of the final redirect. */
    static String code(BrowserClient browser, String realm, Map<String, String> params) {
        boolean users = realm.endsWith("-U");
        HttpResponse<String> done = SignInFlow.signIn(browser, authorize(realm, params), users ? "username" : "email",
                users ? "pa" : "jane@example.com", users ? PA_PASSWORD : JANE_PASSWORD);
        Map<String, String> query = BrowserClient.redirectParams(done);
        assertThat(query).as("redirect %s", BrowserClient.location(done)).containsKey("code");
        return query.get("code");
    }

    /** Redeems an spa code and returns the token response, which must be a success. */
    static JsonNode redeem(TestServer server, String realm, String code) {
        HttpResponse<String> response = server.postForm(realm + "/oauth2/token", Map.of("grant_type", "authorization_code",
                "code", code, "redirect_uri", SPA_REDIRECT, "client_id", SPA, "code_verifier", VERIFIER));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return OAuthResponses.json(response);
    }

    static JsonNode refreshWithScope(TestServer server, String realm, String refreshToken, String scope) {
        HttpResponse<String> response = server.postForm(realm + "/oauth2/token", Map.of("grant_type", "refresh_token",
                "refresh_token", refreshToken, "client_id", SPA, "scope", scope));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return OAuthResponses.json(response);
    }

    static JsonNode refresh(TestServer server, String realm, String refreshToken) {
        HttpResponse<String> response = server.postForm(realm + "/oauth2/token", Map.of("grant_type", "refresh_token",
                "refresh_token", refreshToken, "client_id", SPA));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return OAuthResponses.json(response);
    }
}
