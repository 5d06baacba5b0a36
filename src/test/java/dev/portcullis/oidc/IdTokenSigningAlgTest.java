package dev.portcullis.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.portcullis.admin.TenantsFileException;
import dev.portcullis.admin.TenantsFileParser;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.OAuthResponses;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static dev.portcullis.oidc.OpenIdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * id_token_signed_response_alg: a client of an RS256 tenant that registered ES256 gets ES256 ID tokens, signed by a
 * published key that signs nothing else, while its access tokens stay RS256; other clients get the tenant's algorithm.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdTokenSigningAlgTest {

    static final String ES_SPA = "oidc-es-spa";

    static final String ES_YAML = YAML
            .replace("    name: OpenID test tenant\n", "    name: OpenID test tenant\n    signing_alg: RS256\n")
            .replace("""
                        clients:
                          - client_id: oidc-spa
                    """, """
                        clients:
                          - client_id: oidc-es-spa
                            name: ES256 ID tokens
                            platform: spa
                            consent: skip
                            id_token_signed_response_alg: ES256
                            scopes: [ openid, profile, email, core.aiservices.read ]
                            redirect_uris: [ "http://127.0.0.1:5173/cb" ]
                          - client_id: oidc-spa
                    """);

    private final ServersPerStore servers = new ServersPerStore(ES_YAML);

    @AfterAll
    void stop() {
        servers.close();
    }

    private static JsonNode signIn(TestServer server, BrowserClient browser, String clientId) {
        String code = code(browser, USERS, with(spa("openid profile", "s1"), "client_id", clientId));
        HttpResponse<String> response = server.postForm(USERS + "/oauth2/token", Map.of("grant_type", "authorization_code",
                "code", code, "redirect_uri", SPA_REDIRECT, "client_id", clientId, "code_verifier", VERIFIER));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return OAuthResponses.json(response);
    }

    private static SignedJWT jwt(String token) throws Exception {
        return (SignedJWT) JWTParser.parse(token);
    }

    private static IDTokenClaimsSet validate(TestServer server, String clientId, JWSAlgorithm alg, SignedJWT idToken) throws Exception {
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(server.baseUrl() + USERS));
        return new IDTokenValidator(metadata.getIssuer(), new ClientID(clientId), alg, metadata.getJWKSetURI().toURL())
                .validate(idToken, null);
    }

    private static JWKSet jwks(TestServer server) throws Exception {
        return JWKSet.parse(server.get(USERS + "/oauth2/jwks").body());
    }

    private static boolean active(TestServer server, String token) {
        return OAuthResponses.json(server.postForm(USERS + "/oauth2/introspect", Map.of("token", token,
                "client_id", WEB, "client_secret", WEB_SECRET))).path("active").asBoolean();
    }

    /** The server's keys as another instance sees them, through the same store and master key. */
    private static SigningKeys keys(TestServer server) {
        SigningKeyFactory factory = new SigningKeyFactory(MasterKey.decode(TestServer.MASTER_KEY), JWSAlgorithm.RS256);
        return new SigningKeys(new SigningKeyRepository(server.database().sql()), factory,
                new KeyLifecycle(server.database().sql(), factory, 1), Clock.systemUTC());
    }

    private static String resign(SignedJWT token, SigningKey key) throws Exception {
        SignedJWT copy = new SignedJWT(new JWSHeader.Builder(key.algorithm()).type(token.getHeader().getType())
                .keyID(key.kid()).build(), token.getJWTClaimsSet());
        copy.sign(key.signer());
        return copy.serialize();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aClientThatRegisteredEs256GetsEs256IdTokensWhileItsAccessTokensStayRs256(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        JsonNode tokens = signIn(server, browser, ES_SPA);
        SignedJWT idToken = jwt(tokens.path("id_token").asText());
        SignedJWT accessToken = jwt(tokens.path("access_token").asText());

        assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(accessToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(idToken.getHeader().getKeyID()).isNotEqualTo(accessToken.getHeader().getKeyID());
        IDTokenClaimsSet claims = validate(server, ES_SPA, JWSAlgorithm.ES256, idToken);
        assertThat(claims.getSubject().getValue()).isEqualTo("1001");
        // at_hash under the ID token's own algorithm (SHA-256 for ES256)
        AccessTokenValidator.validate(new BearerAccessToken(accessToken.serialize()), JWSAlgorithm.ES256, claims.getAccessTokenHash());
        assertThatThrownBy(() -> validate(server, ES_SPA, JWSAlgorithm.RS256, idToken)).isInstanceOf(Exception.class);
        assertThat(jwks(server).getKeyByKeyId(idToken.getHeader().getKeyID())).as("the ID-token key is published").isNotNull();
        assertThat(active(server, accessToken.serialize())).isTrue();

        // the key is made once per tenant and algorithm, not per sign-in
        SignedJWT again = jwt(signIn(server, new BrowserClient(server.baseUrl()), ES_SPA).path("id_token").asText());
        assertThat(again.getHeader().getKeyID()).isEqualTo(idToken.getHeader().getKeyID());
        assertThat(server.database().sql().query("SELECT kid FROM signing_keys WHERE tenant_id = ? AND status = 'idtoken'",
                row -> row.getString(1), TENANT)).containsExactly(idToken.getHeader().getKeyID());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aClientWithoutOneGetsTheTenantsAlgorithmAndKey(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        JsonNode tokens = signIn(server, new BrowserClient(server.baseUrl()), SPA);
        SignedJWT idToken = jwt(tokens.path("id_token").asText());
        SignedJWT accessToken = jwt(tokens.path("access_token").asText());
        assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(idToken.getHeader().getKeyID()).isEqualTo(accessToken.getHeader().getKeyID());
        assertThat(validate(server, SPA, JWSAlgorithm.RS256, idToken).getSubject().getValue()).isEqualTo("1001");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void discoveryListsEveryAlgorithmAClientMayRegister(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(server.baseUrl() + USERS));
        assertThat(metadata.getIDTokenJWSAlgs()).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.PS256,
                JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anIdTokenKeyNeverVerifiesAnAccessToken(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        JsonNode tokens = signIn(server, new BrowserClient(server.baseUrl()), ES_SPA);
        SignedJWT accessToken = jwt(tokens.path("access_token").asText());
        SigningKeys keys = keys(server);
        SigningKey idTokenKey = keys.idTokenKey(TENANT, Optional.of("ES256"));
        assertThat(idTokenKey.kid()).isEqualTo(jwt(tokens.path("id_token").asText()).getHeader().getKeyID());

        // the same claims signed again by the active key pass (so the refusal below is the key's doing) ...
        assertThat(active(server, resign(accessToken, keys.activeKey(TENANT)))).isTrue();
        // ... but not when the key that signs only ID tokens signed them
        assertThat(accessToken.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(active(server, resign(accessToken, idTokenKey))).isFalse();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anIdTokenKeyOlderThanTheRotationPeriodIsReplacedAndStaysPublishedUntilItsTokensExpire(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        String oldKid = jwt(signIn(server, new BrowserClient(server.baseUrl()), ES_SPA).path("id_token").asText())
                .getHeader().getKeyID();
        server.database().sql().update("UPDATE signing_keys SET created_at = created_at - 91 * 86400 WHERE kid = ?", oldKid);
        long now = Instant.now().getEpochSecond();
        new KeyLifecycle(server.database().sql(),
                new SigningKeyFactory(MasterKey.decode(TestServer.MASTER_KEY), JWSAlgorithm.RS256), 1).runScheduled(now);
        assertThat(server.database().sql().queryOne("SELECT status, retires_at FROM signing_keys WHERE kid = ?",
                row -> row.getString(1) + " " + (row.getLong(2) > now + 3600), oldKid)).contains("idtoken_retiring true");

        String newKid = oldKid;
        long deadline = System.currentTimeMillis() + 15_000;
        while (newKid.equals(oldKid) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            newKid = jwt(signIn(server, new BrowserClient(server.baseUrl()), ES_SPA).path("id_token").asText()).getHeader().getKeyID();
        }
        assertThat(newKid).as("a new ID-token key signs once the instance saw the change").isNotEqualTo(oldKid);
        JWKSet published = jwks(server);
        assertThat(published.getKeyByKeyId(oldKid)).as("the replaced key is still published").isNotNull();
        assertThat(published.getKeyByKeyId(newKid)).isNotNull();
    }

    @Test
    void anAlgorithmTheServerDoesNotSignWithIsRefusedAtItsLine() {
        String yaml = ES_YAML.replace("id_token_signed_response_alg: ES256", "id_token_signed_response_alg: HS256");
        int line = 0;
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("id_token_signed_response_alg: HS256")) {
                line = i + 1;
            }
        }
        assertThat(line).isPositive();
        assertThatThrownBy(() -> TenantsFileParser.parse(yaml, "tenants.yaml")).isInstanceOf(TenantsFileException.class)
                .hasMessageStartingWith("tenants.yaml:" + line + ": ")
                .hasMessageContainingAll("id_token_signed_response_alg", "HS256", "ES256");
        assertThatThrownBy(() -> TenantsFileParser.parse(ES_YAML.replace(": ES256", ": es256"), "tenants.yaml"))
                .as("JOSE names are case-sensitive").isInstanceOf(TenantsFileException.class);
        assertThat(TenantsFileParser.parse(ES_YAML, "tenants.yaml").tenants().get(0).clients().get(0).idTokenSigningAlg())
                .contains("ES256");
    }
}
