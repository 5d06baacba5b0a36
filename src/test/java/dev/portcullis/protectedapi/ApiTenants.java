package dev.portcullis.protectedapi;

import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.grant.Pkce;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.TestServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;

/**
 * Tenants whose tokens an API holding the resource-server library sees: RS issues every kind of token in both
 * realms, LEGACY issues typ JWT, ES signs with ES256, ED with EdDSA, and STRANGER is a tenant the API does not trust.
 * Each method returns a real token of the running server.
 */
final class ApiTenants {

    static final String API_URL = "https://api.example.test";
    static final String SECRET = "rs-secret-0123456789abcdefghijklmnopqr";
    static final String SPA_REDIRECT = "https://spa.example.com/callback";
    static final String VERIFIER = "rs-verifier-0123456789abcdefghijklmnopqrstuvwxyz";

    static final String YAML = """
            tenants:
              - id: RS
                name: Tokens of every kind
                access_token_ttl: 1800
                scopes:
                  - { name: obo.read, kind: on-behalf-of }
                  - { name: obo.write, kind: on-behalf-of }
                  - { name: app.read, kind: application }
                  - { name: deleg.read, kind: delegated }
                anonymous_customers: { enabled: true, scopes: [ deleg.read ] }
                users: [ { id: "1001", username: pa, password: "password-of-pa-0001" } ]
                customers: [ { id: "c-1", email: jane@example.com, password: "password-of-jane-0001" } ]
                clients:
                  - { client_id: web, name: Web, platform: web, token_exchange: true, secrets: [ "%1$s" ],
                      scopes: [ obo.read, obo.write, app.read ] }
                  - { client_id: spa, name: SPA, platform: spa, consent: skip, scopes: [ deleg.read ], redirect_uris: [ "%2$s" ] }
              - id: LEGACY
                name: typ JWT
                access_token_typ: JWT
                scopes: [ { name: app.read, kind: application } ]
                clients: [ { client_id: web, name: Web, platform: web, secrets: [ "%1$s" ], scopes: [ app.read ] } ]
              - id: ES
                name: ES256
                signing_alg: ES256
                scopes: [ { name: app.read, kind: application } ]
                clients: [ { client_id: web, name: Web, platform: web, secrets: [ "%1$s" ], scopes: [ app.read ] } ]
              - id: ED
                name: EdDSA
                signing_alg: EdDSA
                scopes: [ { name: app.read, kind: application } ]
                clients: [ { client_id: web, name: Web, platform: web, secrets: [ "%1$s" ], scopes: [ app.read ] } ]
              - id: STRANGER
                name: Not trusted by the API
                scopes: [ { name: app.read, kind: application } ]
                clients: [ { client_id: web, name: Web, platform: web, secrets: [ "%1$s" ], scopes: [ app.read ] } ]
            """.formatted(SECRET, SPA_REDIRECT);

    private ApiTenants() {
    }

    static String issuer(TestServer server, String realm) {
        return server.baseUrl() + "/system/auth/" + realm;
    }

    private static String token(TestServer server, String realm, Map<String, String> form) {
        return assertToken(server.postForm("/system/auth/" + realm + "/oauth2/token", form)).serialize();
    }

    static String clientCredentials(TestServer server, String tenant) {
        return token(server, tenant + "-U", form("grant_type", "client_credentials", "client_id", "web", "client_secret", SECRET,
                "scope", "app.read"));
    }

    static String onBehalfOfUser(TestServer server) {
        return token(server, "RS-U", form("grant_type", "password", "client_id", "web", "client_secret", SECRET,
                "scope", "obo.read obo.write", "subject_username", "pa"));
    }

    static String onBehalfOfCustomer(TestServer server) {
        return token(server, "RS-C", form("grant_type", "password", "client_id", "web", "client_secret", SECRET,
                "scope", "obo.read", "subject_email", "jane@example.com"));
    }

    /** Token Exchange of the realm's own On-Behalf-Of token for fewer scopes (RFC 8693). */
    static String exchanged(TestServer server) {
        return token(server, "RS-U", form("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", "web",
                "client_secret", SECRET, "subject_token", onBehalfOfUser(server),
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "scope", "obo.read"));
    }

    /** The eGain SDK's anonymous customer request, from the -C realm. */
    static String anonymousCustomer(TestServer server) {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/core/authmgr/v3/oauth2/v2.0/anonymous/token?user_type=customer&domain_hint=RS"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=clientId&client_secret=clientSecret"
                        + "&grant_type=client_credentials&scope=deleg.read")).build());
        return assertToken(response).serialize();
    }

    /** A user (realm U) or customer (realm C) signs in through the SPA with PKCE; the code is redeemed. */
    static String authorizationCode(TestServer server, String realm) {
        boolean users = realm.equals("U");
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String authorize = "/system/auth/RS-" + realm + "/oauth2/authorize?" + TestServer.encode(form("client_id", "spa",
                "response_type", "code", "redirect_uri", SPA_REDIRECT, "scope", "deleg.read", "state", "s1",
                "code_challenge", Pkce.s256(VERIFIER), "code_challenge_method", "S256"));
        HttpResponse<String> redirect = SignInFlow.signIn(browser, authorize, users ? "username" : "email",
                users ? "pa" : "jane@example.com", users ? "password-of-pa-0001" : "password-of-jane-0001");
        String code = BrowserClient.redirectParams(redirect).get("code");
        return token(server, "RS-" + realm, form("grant_type", "authorization_code", "code", code, "redirect_uri", SPA_REDIRECT,
                "client_id", "spa", "code_verifier", VERIFIER));
    }

    static String kid(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }
}
