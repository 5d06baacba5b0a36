package dev.portcullis.exchange;

import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.form;

/**
 * The servers the Token Exchange tests share: Portcullis under test on each store, and three
 * independent identity providers on loopback ports (mock-oauth2-server, a tenant of a second
 * Portcullis, and a provider whose key the tests rotate), plus two that cannot answer.
 */
final class ExchangeFixture implements AutoCloseable {

    static final String TENANT = "XCH";
    static final String U = "/system/auth/XCH-U/oauth2/token";
    static final String C = "/system/auth/XCH-C/oauth2/token";
    static final String EXCHANGER = "exchanger";
    static final String EXCHANGER_SECRET = "exchanger-secret-0123456789abcdefghij";
    static final String OTHER_EXCHANGER = "other-exchanger";
    static final String OTHER_SECRET = "other-exchanger-secret-0123456789abcd";
    static final String NO_EXCHANGE = "no-exchange";
    static final String NO_EXCHANGE_SECRET = "no-exchange-secret-0123456789abcdefg";
    static final String SPA = "spa";
    static final String AUDIENCE = "api://egain";
    static final String MOCK_ISSUER_ID = "okta";
    static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    static final String IDP_CLIENT = "idp-app";
    static final String IDP_SECRET = "idp-app-secret-0123456789abcdefghijkl";

    final MockOAuth2Server mock = new MockOAuth2Server();
    final RotatingKeyProvider rotating = new RotatingKeyProvider();
    final UnresponsiveProviders unresponsive = new UnresponsiveProviders();
    final TestServer idp;
    final ServersPerStore servers;

    ExchangeFixture() {
        mock.start(InetAddress.getLoopbackAddress(), 0);
        idp = TestServer.start(StoreKind.SQLITE, """
                tenants:
                  - id: IDP
                    name: A tenant acting as the external identity provider
                    scopes:
                      - { name: profile.read, kind: on-behalf-of }
                    users:
                      - { id: "1001", username: alice-at-idp }
                    clients:
                      - { client_id: idp-app, name: IdP app, platform: web, secrets: [ "%s" ], scopes: [ profile.read ] }
                """.formatted(IDP_SECRET));
        String yaml = tenantsYaml();
        servers = new ServersPerStore(store -> TestServer.start(store, yaml));
    }

    String mockIssuer() {
        return mock.issuerUrl(MOCK_ISSUER_ID).toString();
    }

    String idpIssuer() {
        return idp.baseUrl() + "/system/auth/IDP-U";
    }

    private String tenantsYaml() {
        return """
                tenants:
                  - id: XCH
                    name: Token exchange
                    access_token_ttl: 1800
                    resources: [ "https://mcp.example.com/mcp" ]
                    scopes:
                      - { name: deleg.read, kind: delegated }
                      - { name: deleg.write, kind: delegated }
                      - { name: obo.read, kind: on-behalf-of }
                      - { name: app.read, kind: application }
                    users:
                      - { id: "1001", username: alice, email: alice@example.com }
                      - { id: "1002", username: bob, email: bob@example.com, enabled: false }
                      - { id: "1003", username: carol, email: carol@example.com }
                    customers:
                      - { id: "c-1", email: jane@example.com }
                    clients:
                      - client_id: exchanger
                        name: Exchanger
                        platform: web
                        token_exchange: true
                        access_token_ttl: 900
                        secrets: [ "%s" ]
                        scopes: [ deleg.read, deleg.write, obo.read, app.read ]
                      - client_id: other-exchanger
                        name: Another exchanger
                        platform: web
                        token_exchange: true
                        secrets: [ "%s" ]
                        scopes: [ deleg.read, deleg.write ]
                      - client_id: no-exchange
                        name: Without token exchange
                        platform: web
                        secrets: [ "%s" ]
                        scopes: [ deleg.read ]
                      - { client_id: spa, name: SPA, platform: spa, scopes: [ deleg.read ] }
                    identity_providers:
                      - { registration_id: mock, name: mock-oauth2-server, issuer: "%s", audiences: [ "%s" ] }
                      - { registration_id: mock-c, name: mock for customers, realm: C, issuer: "%s", audiences: [ "%s" ] }
                      - registration_id: second-portcullis
                        name: A tenant of another Portcullis
                        issuer: "%s"
                        jwks_uri: "%s/oauth2/jwks"
                        audiences: [ "https://api.example.test" ]
                        algorithms: [ RS256 ]
                        user_claim: sub
                      - { registration_id: rotating, name: Rotating, issuer: "%s", jwks_uri: "%s", audiences: [ "%s" ] }
                      - { registration_id: down, name: Down, issuer: "%s", jwks_uri: "%s/jwks", audiences: [ "%s" ] }
                      - { registration_id: slow, name: Slow, issuer: "%s", jwks_uri: "%s/jwks", audiences: [ "%s" ] }
                """.formatted(EXCHANGER_SECRET, OTHER_SECRET, NO_EXCHANGE_SECRET,
                mockIssuer(), AUDIENCE, mockIssuer(), AUDIENCE,
                idpIssuer(), idpIssuer(),
                rotating.issuer(), rotating.jwksUri(), AUDIENCE,
                unresponsive.downIssuer(), unresponsive.downIssuer(), AUDIENCE,
                unresponsive.slowIssuer(), unresponsive.slowIssuer(), AUDIENCE);
    }

    /** A token of mock-oauth2-server's "okta" issuer for {@code email}, valid for {@code expirySeconds}. */
    String mockToken(String email, List<String> audience, long expirySeconds) {
        return mockToken(MOCK_ISSUER_ID, email, audience, expirySeconds);
    }

    String mockToken(String issuerId, String email, List<String> audience, long expirySeconds) {
        return mock.issueToken(issuerId, "okta-web-app", new DefaultOAuth2TokenCallback(issuerId, "00u-" + email, "JWT", audience,
                Map.of("email", email), expirySeconds)).serialize();
    }

    HttpResponse<String> exchange(StoreKind store, String path, String client, String secret, String... more) {
        Map<String, String> form = form("grant_type", GRANT, "client_id", client, "client_secret", secret);
        form.putAll(form(more));
        return servers.get(store).postForm(path, form);
    }

    /** The exchanger's exchange of an external token by registration. */
    HttpResponse<String> external(StoreKind store, String registration, String token, String... more) {
        Map<String, String> form = form("subject_token", token, "subject_token_type", ACCESS_TOKEN, "registration_id", registration);
        form.putAll(form(more));
        return exchange(store, U, EXCHANGER, EXCHANGER_SECRET, flatten(form));
    }

    /** A token of XCH-U for alice, obtained by the exchanger from mock-oauth2-server's token. */
    String aliceToken(StoreKind store) {
        return OAuthResponses.json(external(store, "mock", mockToken("alice@example.com", List.of(AUDIENCE), 600)))
                .path("access_token").asText();
    }

    /** An On-Behalf-Of token of XCH-U for {@code userId}, issued to {@code client}. */
    String onBehalfOf(StoreKind store, String client, String secret, String userId) {
        HttpResponse<String> response = servers.get(store).postForm(U, form("grant_type", "password", "client_id", client,
                "client_secret", secret, "scope", "obo.read", "subject_userid", userId));
        SignedJWT token = OAuthResponses.assertToken(response);
        return token.serialize();
    }

    static String[] flatten(Map<String, String> form) {
        return form.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new);
    }

    @Override
    public void close() throws Exception {
        servers.close();
        idp.close();
        mock.shutdown();
        rotating.close();
        unresponsive.close();
    }
}
