package dev.portcullis.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each signing algorithm a tenant may choose (signing_alg: RS256, PS256, ES256, EdDSA) gives tokens of
 * that algorithm that a resource server verifies against the realm's JWKS, and that introspection accepts.
 */
class SigningAlgorithmTest {

    static final String SECRET = "algs-secret-0123456789abcdefghijklmnop";

    /** One tenant per algorithm, named after it, each with a Client Credentials client "app". */
    static String tenants(List<String> algorithms, String extraTenantKeys) {
        StringBuilder yaml = new StringBuilder("tenants:\n");
        for (String alg : algorithms) {
            yaml.append("""
                      - id: %s
                        name: Signs with %s
                        signing_alg: %s
                    %s    scopes:
                          - { name: app.read, kind: application }
                        clients:
                          - { client_id: app, name: App, platform: web, secrets: [ "%s" ], scopes: [ app.read ] }
                    """.formatted(alg, alg, alg, extraTenantKeys, SECRET));
        }
        return yaml.toString();
    }

    static SignedJWT token(TestServer server, String realm) {
        return assertToken(server.postForm("/system/auth/" + realm + "/oauth2/token", form("grant_type", "client_credentials",
                "client_id", "app", "client_secret", SECRET, "scope", "app.read")));
    }

    static JWKSet jwks(TestServer server, String realm) throws Exception {
        return JWKSet.parse(server.get("/system/auth/" + realm + "/oauth2/jwks").body());
    }

    /**
     * What a strict resource server does: only the algorithm it expects, only typ at+jwt, the key its kid names
     * in the JWKS. Nimbus' JWT processor cannot select Ed25519 keys, so EdDSA goes straight to Nimbus' verifier.
     */
    static String verifiedSubject(SignedJWT token, JWKSet jwks, JWSAlgorithm algorithm) throws Exception {
        if (!JWSAlgorithm.EdDSA.equals(algorithm)) {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, new ImmutableJWKSet<>(jwks)));
            return processor.process(token, null).getSubject();
        }
        JWK key = jwks.getKeyByKeyId(token.getHeader().getKeyID());
        if (!algorithm.equals(token.getHeader().getAlgorithm()) || !new JOSEObjectType("at+jwt").equals(token.getHeader().getType())
                || !(key instanceof OctetKeyPair okp) || !token.verify(new Ed25519Verifier(okp))) {
            throw new IllegalStateException("EdDSA token did not verify");
        }
        return token.getJWTClaimsSet().getSubject();
    }

    static JsonNode introspect(TestServer server, String realm, SignedJWT token) {
        return json(server.postForm("/system/auth/" + realm + "/oauth2/introspect", form("token", token.serialize(),
                "client_id", "app", "client_secret", SECRET)));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void eachAlgorithmsTokensVerifyAgainstTheJwksAndIntrospectionAcceptsThem(StoreKind store) throws Exception {
        List<String> algorithms = List.of("RS256", "PS256", "ES256", "EdDSA");
        Map<String, String> keyTypes = Map.of("RS256", "RSA", "PS256", "RSA", "ES256", "EC", "EdDSA", "OKP");
        try (TestServer server = TestServer.start(store, tenants(algorithms, ""))) {
            for (String alg : algorithms) {
                String realm = alg + "-U";
                SignedJWT token = token(server, realm);
                JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
                assertThat(token.getHeader().getAlgorithm()).as(alg).isEqualTo(algorithm);
                JWKSet jwks = jwks(server, realm);
                assertThat(jwks.getKeys()).as(alg).singleElement().satisfies(key -> {
                    assertThat(key.getKeyType().getValue()).isEqualTo(keyTypes.get(alg));
                    assertThat(key.getAlgorithm().getName()).isEqualTo(alg);
                    assertThat(key.isPrivate()).isFalse();
                });
                assertThat(verifiedSubject(token, jwks, algorithm)).as(alg).isEqualTo("app");
                // the control: the same token is refused under another algorithm, so the check above can fail
                JWSAlgorithm other = alg.equals("RS256") ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
                assertThatThrownBy(() -> verifiedSubject(token, jwks, other)).as(alg).isInstanceOf(Exception.class);

                JsonNode introspection = introspect(server, realm, token);
                assertThat(introspection.path("active").asBoolean()).as(alg + ": " + introspection).isTrue();
                assertThat(introspection.path("client_id").asText()).isEqualTo("app");
            }
            SignedJWT edToken = token(server, "EdDSA-U");
            assertThat(introspect(server, "ES256-U", edToken).path("active").asBoolean())
                    .as("another tenant's token is not active here").isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "SQLITE")
    void theServersSigningAlgIsTheDefaultForTenantsThatChooseNone(StoreKind store) throws Exception {
        String yaml = tenants(List.of("RS256"), "").replace("    signing_alg: RS256\n", "");
        try (TestServer server = TestServer.start(store, yaml, Map.of("signing_alg", "EdDSA"))) {
            SignedJWT token = token(server, "RS256-U");
            assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
            assertThat(verifiedSubject(token, jwks(server, "RS256-U"), JWSAlgorithm.EdDSA)).isEqualTo("app");
        }
    }
}
