package dev.portcullis.egain;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Anonymous Customer endpoint exactly as eGain's ai-agent-sdk calls it (placeholder client
 * credentials, its headers and body order), every refusal, and the per-address and per-tenant limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnonymousCustomerTokenTest {

    static final String PATH = "/core/authmgr/v3/oauth2/v2.0/anonymous/token";
    /** The body the SDK's AnonymousAuthStrategy builds: its literal placeholders, in its order. */
    static final String SDK_BODY = "client_id=clientId&client_secret=clientSecret&grant_type=client_credentials"
            + "&scope=knowledge.portalmgr.read%20core.aiservices.read";

    private static final String YAML = """
            tenants:
              - id: SHOP
                name: Shop
                scopes:
                  - { name: knowledge.portalmgr.read, kind: delegated }
                  - { name: core.aiservices.read, kind: delegated }
                  - { name: knowledge.portalmgr.manage, kind: delegated }
                  - { name: app.read, kind: application }
                anonymous_customers:
                  enabled: true
                  scopes: [ knowledge.portalmgr.read, core.aiservices.read ]
                  access_token_ttl: 600
              - id: CLOSED
                name: No anonymous section
                scopes:
                  - { name: knowledge.portalmgr.read, kind: delegated }
              - id: OFF
                name: Switched off
                scopes:
                  - { name: knowledge.portalmgr.read, kind: delegated }
                anonymous_customers: { enabled: false, scopes: [ knowledge.portalmgr.read ] }
              - id: GONE
                name: Disabled tenant
                enabled: false
                scopes:
                  - { name: knowledge.portalmgr.read, kind: delegated }
                anonymous_customers: { scopes: [ knowledge.portalmgr.read ] }
              - id: LIMITED
                name: Small limits
                scopes:
                  - { name: knowledge.portalmgr.read, kind: delegated }
                anonymous_customers:
                  scopes: [ knowledge.portalmgr.read ]
                  requests_per_minute_per_address: 2
                  requests_per_minute_per_tenant: 3
              - id: LIMITED6
                name: One a minute per address
                scopes:
                  - { name: knowledge.portalmgr.read, kind: delegated }
                anonymous_customers:
                  scopes: [ knowledge.portalmgr.read ]
                  requests_per_minute_per_address: 1
            """;

    /** The test client is a trusted proxy, so X-Forwarded-For can stand for many visitors. */
    private final ServersPerStore servers = new ServersPerStore(store -> TestServer.start(store, YAML,
            Map.of("trusted_proxies", "127.0.0.1/32")));

    @AfterAll
    void stopServers() {
        servers.close();
    }

    static HttpResponse<String> sdkRequest(TestServer server, String url, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> anonymous(TestServer server, String query, String body) {
        return sdkRequest(server, server.baseUrl() + PATH + query, body);
    }

    private static HttpResponse<String> from(TestServer server, String tenant, String address) {
        return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + PATH + "?user_type=customer&domain_hint=" + tenant))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(SDK_BODY.replace("%20core.aiservices.read", ""))).build());
    }

    /** Verifies the signature against the realm's JWKS with Nimbus and returns the claims. */
    static JWTClaimsSet verifiedByRealm(TestServer server, String realmBaseUrl, SignedJWT jwt) throws Exception {
        JWKSet keys = JWKSet.parse(server.send(HttpRequest.newBuilder(URI.create(realmBaseUrl + "/oauth2/jwks")).GET().build()).body());
        JWK key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the realm's JWKS has the token's kid").isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key.toRSAKey()))).as("signature").isTrue();
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        return jwt.getJWTClaimsSet();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theSdkRequestWithPlaceholderCredentialsGetsAnAnonymousCustomerTokenFromTheCustomerRealm(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        HttpResponse<String> response = anonymous(server, "?user_type=customer&domain_hint=SHOP", SDK_BODY);

        JWTClaimsSet claims = verifiedByRealm(server, server.baseUrl() + "/system/auth/SHOP-C", assertToken(response));
        assertThat(claims.getIssuer()).isEqualTo(server.baseUrl() + "/system/auth/SHOP-C");
        assertThat(claims.getStringClaim("actor_type")).isEqualTo("anonymous_customer");
        assertThat(claims.getStringClaim("tenant")).isEqualTo("SHOP");
        assertThat(claims.getStringClaim("scope")).isEqualTo("knowledge.portalmgr.read core.aiservices.read");
        assertThat(claims.getStringClaim("client_id")).as("not the caller's placeholder")
                .isEqualTo("urn:portcullis:anonymous-customer");
        assertThat(claims.getSubject()).isNotBlank().isNotEqualTo("clientId");
        assertThat(claims.getClaim("act")).isNull();
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(600_000);
        assertThat(json(response).path("expires_in").asLong()).isEqualTo(600);
        assertThat(json(response).path("scope").asText()).isEqualTo("knowledge.portalmgr.read core.aiservices.read");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as("the SDK runs in a browser").contains("*");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyTokenHasANewSubject(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        Set<String> subjects = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            subjects.add(assertToken(anonymous(server, "?user_type=customer&domain_hint=SHOP", SDK_BODY)).getJWTClaimsSet().getSubject());
        }
        assertThat(subjects).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void noScopeGetsEveryScopeTheTenantAllowsAndASubsetGetsThatSubset(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        String base = "client_id=clientId&client_secret=clientSecret&grant_type=client_credentials";
        for (String body : new String[] {base, base + "&scope="}) {
            assertThat(assertToken(anonymous(server, "?user_type=customer&domain_hint=SHOP", body)).getJWTClaimsSet()
                    .getStringClaim("scope")).isEqualTo("knowledge.portalmgr.read core.aiservices.read");
        }
        assertThat(assertToken(anonymous(server, "?user_type=customer&domain_hint=SHOP", base + "&scope=core.aiservices.read"))
                .getJWTClaimsSet().getStringClaim("scope")).isEqualTo("core.aiservices.read");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theQueryMustNameACustomerAndAnEnabledTenantThatAllowsAnonymousCustomers(StoreKind store) {
        TestServer server = servers.get(store);
        assertError(anonymous(server, "?user_type=customer", SDK_BODY), 400, "invalid_request", "domain_hint");
        assertError(anonymous(server, "?user_type=customer&domain_hint=", SDK_BODY), 400, "invalid_request", "domain_hint");
        assertError(anonymous(server, "?domain_hint=SHOP", SDK_BODY), 400, "invalid_request", "user_type");
        assertError(anonymous(server, "?user_type=user&domain_hint=SHOP", SDK_BODY), 400, "invalid_request",
                "user_type must be 'customer'");
        assertError(anonymous(server, "?user_type=customer&domain_hint=NOPE", SDK_BODY), 400, "invalid_request",
                "'NOPE' names no tenant");
        assertError(anonymous(server, "?user_type=customer&domain_hint=GONE", SDK_BODY), 400, "unauthorized_client",
                "tenant GONE is disabled");
        assertError(anonymous(server, "?user_type=customer&domain_hint=CLOSED", SDK_BODY), 400, "unauthorized_client",
                "does not allow anonymous customers");
        assertError(anonymous(server, "?user_type=customer&domain_hint=OFF", SDK_BODY), 400, "unauthorized_client",
                "does not allow anonymous customers");
        assertError(anonymous(server, "?user_type=customer&domain_hint=SHOP&domain_hint=CLOSED", SDK_BODY), 400,
                "invalid_request", "repeated");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBadlyEncodedQueryIsARequestErrorNotAServerError(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        // java.net.URI refuses to build such a URL, so the request goes over a plain socket
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            String request = "POST " + PATH + "?user_type=customer&domain_hint=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + SDK_BODY.length()
                    + "\r\nConnection: close\r\n\r\n" + SDK_BODY;
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 400").contains("\"error\":\"invalid_request\"");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theBodyMustBeAClientCredentialsFormAskingOnlyForAllowedScopes(StoreKind store) {
        TestServer server = servers.get(store);
        String query = "?user_type=customer&domain_hint=SHOP";
        assertError(anonymous(server, query, SDK_BODY.replace("client_credentials", "password")), 400,
                "unsupported_grant_type", "grant_type=client_credentials");
        assertError(anonymous(server, query, "client_id=clientId&client_secret=clientSecret&scope=knowledge.portalmgr.read"),
                400, "invalid_request", "grant_type");
        assertError(anonymous(server, query, SDK_BODY.replace("core.aiservices.read", "knowledge.portalmgr.manage")), 400,
                "invalid_scope", "may not get scope 'knowledge.portalmgr.manage'", "allowed: knowledge.portalmgr.read core.aiservices.read");
        assertError(anonymous(server, query, SDK_BODY.replace("core.aiservices.read", "app.read")), 400, "invalid_scope", "app.read");
        assertError(anonymous(server, query, SDK_BODY.replace("core.aiservices.read", "no.such.scope")), 400, "invalid_scope",
                "no.such.scope");
        assertError(server.postRaw(PATH + query, "application/json", "{}".getBytes()), 400, "invalid_request", "Content-Type");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyInputIsHeldToItsLengthLimitAndTheCredentialsToNothingMore(StoreKind store) {
        TestServer server = servers.get(store);
        String longId = "A".repeat(256);
        assertError(anonymous(server, "?user_type=customer&domain_hint=" + longId, SDK_BODY), 400, "invalid_request",
                "'domain_hint' is longer than 255");
        assertError(anonymous(server, "?user_type=" + "c".repeat(65) + "&domain_hint=SHOP", SDK_BODY), 400, "invalid_request",
                "'user_type' is longer than 64");
        assertError(anonymous(server, "?user_type=customer&domain_hint=SHOP", SDK_BODY.replace("=clientId", "=" + longId)),
                400, "invalid_request", "'client_id' is longer than 255");
        // within the limits, any client_id and client_secret (or none) is as good as the SDK's placeholders
        assertToken(anonymous(server, "?user_type=customer&domain_hint=SHOP",
                SDK_BODY.replace("=clientId", "=whoever").replace("=clientSecret", "=wrong")));
        assertToken(anonymous(server, "?user_type=customer&domain_hint=SHOP", "grant_type=client_credentials"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAddressPastItsLimitGets429WithRetryAfterAndTheTenantLimitCapsAllAddressesTogether(StoreKind store) {
        TestServer server = servers.get(store);
        assertToken(from(server, "LIMITED", "203.0.113.7"));
        assertToken(from(server, "LIMITED", "203.0.113.7"));
        HttpResponse<String> limited = from(server, "LIMITED", "203.0.113.7");
        assertError(limited, 429, "temporarily_unavailable", "from this address", "try again in");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).as("2 a minute refill one every 30 s").isBetween(25L, 30L);

        assertToken(from(server, "LIMITED", "203.0.113.8"));
        HttpResponse<String> tenantFull = from(server, "LIMITED", "203.0.113.9");
        assertError(tenantFull, 429, "temporarily_unavailable", "from all addresses together");
        assertThat(tenantFull.headers().firstValue("Retry-After")).isPresent();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void ipv6AddressesAreCountedPer64(StoreKind store) {
        TestServer server = servers.get(store);
        assertToken(from(server, "LIMITED6", "2001:db8:1:2::1"));
        assertError(from(server, "LIMITED6", "2001:db8:1:2:ffff:ffff:ffff:ffff"), 429, "temporarily_unavailable");
        assertToken(from(server, "LIMITED6", "2001:db8:1:3::1"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void issuedTokensAreCountedUnderTheirOwnGrant(StoreKind store) {
        TestServer server = servers.get(store);
        assertToken(anonymous(server, "?user_type=customer&domain_hint=SHOP", SDK_BODY));
        assertThat(server.getManagement("/metrics").body())
                .containsPattern("portcullis_tokens_issued_total\\{grant=\"anonymous_customer\",tenant=\"SHOP\"} [1-9]");
    }
}
