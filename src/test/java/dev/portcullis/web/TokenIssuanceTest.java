package dev.portcullis.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.testing.DatabaseSnapshot;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.portcullis.testing.AcmeTenant.APP_CLIENT;
import static dev.portcullis.testing.AcmeTenant.APP_SECRET;
import static dev.portcullis.testing.AcmeTenant.BASIC_CLIENT;
import static dev.portcullis.testing.AcmeTenant.BASIC_SECRET;
import static dev.portcullis.testing.AcmeTenant.C;
import static dev.portcullis.testing.AcmeTenant.OBO_CLIENT;
import static dev.portcullis.testing.AcmeTenant.OBO_SECRET;
import static dev.portcullis.testing.AcmeTenant.U;
import static dev.portcullis.testing.AcmeTenant.YAML;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The tokens the endpoint issues: claims per grant and realm, lifetimes, metadata, keys, and no per-token writes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenIssuanceTest {

    private static final String API = "https://api.example.test";

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stopServers() {
        servers.close();
    }

    private static Map<String, String> obo(String subjectParameter, String subject) {
        return form("grant_type", "password", "client_id", OBO_CLIENT, "client_secret", OBO_SECRET,
                "scope", "obo.read", subjectParameter, subject);
    }

    private static Map<String, String> clientCredentials(String scope) {
        return form("grant_type", "client_credentials", "client_id", APP_CLIENT, "client_secret", APP_SECRET, "scope", scope);
    }

    /** Verifies the token's signature against the realm's published JWKS and returns its claims. */
    private static JWTClaimsSet verified(TestServer server, String realm, SignedJWT jwt) throws Exception {
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        String kid = jwt.getHeader().getKeyID();
        assertThat(kid).isNotBlank();
        JWKSet keys = JWKSet.parse(server.get("/system/auth/" + realm + "/oauth2/jwks").body());
        JWK key = keys.getKeyByKeyId(kid);
        assertThat(key).as("JWKS of %s has kid %s", realm, kid).isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.verify(new RSASSAVerifier(key.toRSAKey()))).as("signature").isTrue();
        return jwt.getJWTClaimsSet();
    }

    private static void assertCommonClaims(JWTClaimsSet claims, TestServer server, String realm, String clientId,
                                           String scope, long ttl) throws Exception {
        assertThat(claims.getIssuer()).isEqualTo(server.baseUrl() + "/system/auth/" + realm);
        assertThat(claims.getAudience()).containsExactly(API);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(claims.getStringClaim("scope")).isEqualTo(scope);
        assertThat(claims.getStringClaim("tenant")).isEqualTo("ACME");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getIssueTime()).isCloseTo(new java.util.Date(), 60_000);
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(ttl * 1000);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void onBehalfOfBySubjectUsernameNamesTheUserAndTheActingClient(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        HttpResponse<String> response = server.postForm(U, obo("subject_username", "Alice"));
        JWTClaimsSet claims = verified(server, "ACME-U", assertToken(response));

        assertCommonClaims(claims, server, "ACME-U", OBO_CLIENT, "obo.read", 1800);
        assertThat(claims.getSubject()).isEqualTo("1001");
        assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", OBO_CLIENT));
        assertThat(claims.getStringClaim("actor_type")).isEqualTo("client_on_behalf_of_user");
        assertThat(claims.getStringClaim("username")).isEqualTo("Alice");
        JsonNode body = json(response);
        assertThat(body.path("expires_in").asLong()).isEqualTo(1800);
        assertThat(body.path("scope").asText()).isEqualTo("obo.read");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void onBehalfOfBySubjectUseridGivesTheSameSubject(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        JWTClaimsSet claims = verified(server, "ACME-U", assertToken(server.postForm(U, obo("subject_userid", "1001"))));
        assertThat(claims.getSubject()).isEqualTo("1001");
        assertThat(claims.getStringClaim("username")).isEqualTo("Alice");
        assertThat(claims.getStringClaim("actor_type")).isEqualTo("client_on_behalf_of_user");
        assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", OBO_CLIENT));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void onBehalfOfACustomerBySubjectEmailCarriesEmailAndNoUsername(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        JWTClaimsSet claims = verified(server, "ACME-C",
                assertToken(server.postForm(C, obo("subject_email", "Jane.Doe@Example.com"))));
        assertCommonClaims(claims, server, "ACME-C", OBO_CLIENT, "obo.read", 1800);
        assertThat(claims.getSubject()).isEqualTo("c-1");
        assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", OBO_CLIENT));
        assertThat(claims.getStringClaim("actor_type")).isEqualTo("client_on_behalf_of_customer");
        assertThat(claims.getStringClaim("email")).isEqualTo("Jane.Doe@Example.com");
        assertThat(claims.getClaims()).doesNotContainKey("username");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void usernamesAndEmailsMatchCaseInsensitively(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        for (String username : List.of("alice", "ALICE", "aLiCe")) {
            JWTClaimsSet claims = assertToken(server.postForm(U, obo("subject_username", username))).getJWTClaimsSet();
            assertThat(claims.getSubject()).as(username).isEqualTo("1001");
            assertThat(claims.getStringClaim("username")).as("the stored spelling").isEqualTo("Alice");
        }
        for (String email : List.of("jane.doe@example.com", "JANE.DOE@EXAMPLE.COM")) {
            JWTClaimsSet claims = assertToken(server.postForm(C, obo("subject_email", email))).getJWTClaimsSet();
            assertThat(claims.getSubject()).as(email).isEqualTo("c-1");
            assertThat(claims.getStringClaim("email")).isEqualTo("Jane.Doe@Example.com");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void clientCredentialsTokenIsTheClientsOwnWithItsOwnLifetime(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        HttpResponse<String> response = server.postForm(U, clientCredentials("app.read"));
        JWTClaimsSet claims = verified(server, "ACME-U", assertToken(response));
        assertCommonClaims(claims, server, "ACME-U", APP_CLIENT, "app.read", 600);
        assertThat(claims.getSubject()).isEqualTo(APP_CLIENT);
        assertThat(claims.getStringClaim("actor_type")).isEqualTo("client_app");
        assertThat(claims.getClaims()).doesNotContainKeys("act", "username", "email");
        assertThat(json(response).path("expires_in").asLong()).isEqualTo(600);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void perClientTtlOverridesTheTenantsForEveryGrant(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        // app-client has access_token_ttl 600 and also holds obo.read; the tenant says 1800
        HttpResponse<String> response = server.postForm(U, form("grant_type", "password", "client_id", APP_CLIENT,
                "client_secret", APP_SECRET, "scope", "obo.read", "subject_username", "Alice"));
        JWTClaimsSet claims = assertToken(response).getJWTClaimsSet();
        assertThat(json(response).path("expires_in").asLong()).isEqualTo(600);
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(600_000);
        // obo-client has none, so the tenant's 1800 applies (not the 3600 default)
        assertThat(json(server.postForm(U, form("grant_type", "client_credentials", "client_id", OBO_CLIENT,
                "client_secret", OBO_SECRET, "scope", "app.read"))).path("expires_in").asLong()).isEqualTo(1800);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void clientSecretBasicWorksWithFormEncodedIdAndSecret(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        String credentials = URLEncoder.encode(BASIC_CLIENT, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(BASIC_SECRET, StandardCharsets.UTF_8);
        assertThat(credentials).as("the secret really needs encoding").contains("%2B", "%2F", "%3A", "%25", "%26");
        String header = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));

        JWTClaimsSet cc = verified(server, "ACME-U", assertToken(server.postForm(U,
                form("grant_type", "client_credentials", "scope", "app.read"), Map.of("Authorization", header))));
        assertThat(cc.getSubject()).isEqualTo(BASIC_CLIENT);
        assertThat(cc.getStringClaim("client_id")).isEqualTo(BASIC_CLIENT);

        // Basic for On-Behalf-Of too, with the (matching) client_id repeated in the body
        JWTClaimsSet onBehalf = assertToken(server.postForm(U, form("grant_type", "password", "client_id", BASIC_CLIENT,
                "scope", "obo.read", "subject_username", "Alice"), Map.of("Authorization", header))).getJWTClaimsSet();
        assertThat(onBehalf.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", BASIC_CLIENT));

        // the scheme name is case-insensitive
        assertToken(server.postForm(U, form("grant_type", "client_credentials", "scope", "app.read"),
                Map.of("Authorization", header.replace("Basic", "basic"))));
        // and client_secret_post with the same secret works as well
        assertToken(server.postForm(U, form("grant_type", "client_credentials", "client_id", BASIC_CLIENT,
                "client_secret", BASIC_SECRET, "scope", "app.read")));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void severalScopesGiveOneTokenWithAllOfThemInRequestOrder(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        Map<String, String> request = obo("subject_username", "Alice");
        request.put("scope", "obo.write obo.read");
        HttpResponse<String> response = server.postForm(U, request);
        assertThat(json(response).path("scope").asText()).isEqualTo("obo.write obo.read");
        assertThat(assertToken(response).getJWTClaimsSet().getStringClaim("scope")).isEqualTo("obo.write obo.read");

        request.put("scope", "  obo.read   obo.write obo.read ");
        assertThat(json(server.postForm(U, request)).path("scope").asText()).isEqualTo("obo.read obo.write");

        HttpResponse<String> cc = server.postForm(U, clientCredentials("app.read app.write"));
        assertThat(assertToken(cc).getJWTClaimsSet().getStringClaim("scope")).isEqualTo("app.read app.write");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyTokenHasItsOwnJti(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.add(assertToken(server.postForm(U, clientCredentials("app.read"))).getJWTClaimsSet().getJWTID());
        }
        assertThat(ids).hasSize(20);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void metadataIsTheSameAtBothRfc8414PathsAndNamesEachRealmAsIssuer(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        Map<String, String> issuers = new HashMap<>();
        for (String realm : List.of("ACME-U", "ACME-C")) {
            String base = "/system/auth/" + realm;
            List<String> paths = List.of(base + "/.well-known/oauth-authorization-server",
                    "/.well-known/oauth-authorization-server" + base, base + "/.well-known/openid-configuration");
            JsonNode first = null;
            for (String path : paths) {
                HttpResponse<String> response = server.get(path);
                assertThat(response.statusCode()).as(path).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).as(path)
                        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
                JsonNode metadata = json(response);
                if (first == null) {
                    first = metadata;
                } else if (path.endsWith("openid-configuration")) {
                    // the OpenID Provider document holds every RFC 8414 field with the same value, and more
                    JsonNode oauth = first;
                    oauth.fieldNames().forEachRemaining(name -> assertThat(metadata.get(name)).as(path + " " + name)
                            .isEqualTo(oauth.get(name)));
                    assertThat(metadata.path("userinfo_endpoint").asText()).isEqualTo(server.baseUrl() + base + "/oauth2/userinfo");
                } else {
                    assertThat(metadata).as(path).isEqualTo(first);
                }
            }
            String issuer = server.baseUrl() + base;
            assertThat(first.path("issuer").asText()).isEqualTo(issuer);
            assertThat(first.path("token_endpoint").asText()).isEqualTo(issuer + "/oauth2/token");
            assertThat(first.path("jwks_uri").asText()).isEqualTo(issuer + "/oauth2/jwks");
            assertThat(first.has("userinfo_endpoint")).as("RFC 8414 document stays without OpenID fields").isFalse();
            assertThat(first.path("grant_types_supported").toString()).contains("\"password\"", "\"client_credentials\"");
            assertThat(first.path("token_endpoint_auth_methods_supported").toString())
                    .contains("client_secret_basic", "client_secret_post");
            // only delegated scopes are advertised: application and on-behalf-of names stay private
            assertThat(first.path("scopes_supported").toString()).contains("deleg.read").doesNotContain("obo.read", "app.read");
            issuers.put(realm, first.path("issuer").asText());
        }
        assertThat(issuers.get("ACME-U")).isNotEqualTo(issuers.get("ACME-C"));

        // each realm's tokens carry that realm's issuer
        assertThat(assertToken(server.postForm(U, obo("subject_username", "Alice"))).getJWTClaimsSet().getIssuer())
                .isEqualTo(issuers.get("ACME-U"));
        assertThat(assertToken(server.postForm(C, obo("subject_email", "jane.doe@example.com"))).getJWTClaimsSet().getIssuer())
                .isEqualTo(issuers.get("ACME-C"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void jwksPublishesTheKidOfIssuedTokensAtBothRealms(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        SignedJWT user = assertToken(server.postForm(U, obo("subject_username", "Alice")));
        SignedJWT customer = assertToken(server.postForm(C, obo("subject_email", "jane.doe@example.com")));
        assertThat(user.getHeader().getKeyID()).isEqualTo(customer.getHeader().getKeyID());
        verified(server, "ACME-U", user);
        verified(server, "ACME-C", customer);
        verified(server, "ACME-C", user);
        HttpResponse<String> jwks = server.get("/system/auth/ACME-U/oauth2/jwks");
        assertThat(jwks.body()).doesNotContain("\"d\"", "\"p\"", "\"q\"");
        // another tenant has its own keys
        String other = server.get("/system/auth/OTHER-U/oauth2/jwks").body();
        assertThat(JWKSet.parse(other).getKeyByKeyId(user.getHeader().getKeyID())).isNull();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void issuingTokensWritesNothingToTheDatabase(StoreKind store) {
        TestServer server = servers.get(store);
        javax.sql.DataSource db = server.database().dataSource();
        Map<String, Long> before = DatabaseSnapshot.rowCounts(db);
        assertToken(server.postForm(U, obo("subject_username", "Alice")));
        Map<String, Long> afterFirst = DatabaseSnapshot.rowCounts(db);
        Map<String, Long> withoutKeys = new HashMap<>(afterFirst);
        long keysAdded = withoutKeys.remove("signing_keys") - before.get("signing_keys");
        Map<String, Long> beforeWithoutKeys = new HashMap<>(before);
        beforeWithoutKeys.remove("signing_keys");
        assertThat(withoutKeys).as("only signing_keys may change, on a tenant's first token").isEqualTo(beforeWithoutKeys);
        assertThat(keysAdded).isBetween(0L, 1L);

        Map<String, List<String>> contents = DatabaseSnapshot.contents(db);
        for (int i = 0; i < 25; i++) {
            assertToken(server.postForm(U, obo("subject_username", "Alice")));
            assertToken(server.postForm(U, obo("subject_userid", "1001")));
            assertToken(server.postForm(C, obo("subject_email", "jane.doe@example.com")));
            assertToken(server.postForm(U, clientCredentials("app.read")));
        }
        assertThat(DatabaseSnapshot.rowCounts(db)).isEqualTo(afterFirst);
        assertThat(DatabaseSnapshot.contents(db)).as("not even an update").isEqualTo(contents);
        assertThat(afterFirst.keySet()).contains("tenants", "clients", "client_secrets", "subjects", "signing_keys", "config_revision");
    }
}
