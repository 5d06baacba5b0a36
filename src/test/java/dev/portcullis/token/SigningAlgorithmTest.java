package dev.portcullis.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** signing_alg: ES256 gives P-256 keys and ES256 tokens that verify against the JWKS. */
class SigningAlgorithmTest {

    private static final String TENANTS = """
            tenants:
              - id: TMPRODB88619984
                name: Example partition
                scopes:
                  - { name: knowledge.portalmgr.onbehalfof.read, kind: on-behalf-of }
                users:
                  - { id: "1001", username: pa }
                clients:
                  - client_id: 7121f585-e403-4531-9a38-1826ebc7e7d8
                    name: Portal sync
                    platform: web
                    secrets: [ "seed-secret-0123456789abcdefghijklmnop" ]
                    scopes: [ knowledge.portalmgr.onbehalfof.read ]
            """;

    @Test
    void es256TokensVerifyAgainstAnEcKeyInTheJwks() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, TENANTS, Map.of("signing_alg", "ES256"))) {
            String body = server.postForm("/system/auth/TMPRODB88619984-U/oauth2/token", Map.of(
                    "grant_type", "password", "client_id", "7121f585-e403-4531-9a38-1826ebc7e7d8",
                    "client_secret", "seed-secret-0123456789abcdefghijklmnop",
                    "scope", "knowledge.portalmgr.onbehalfof.read", "subject_username", "pa")).body();
            String token = new ObjectMapper().readTree(body).get("access_token").asText();
            assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);

            JWKSet jwks = JWKSet.parse(server.get("/system/auth/TMPRODB88619984-U/oauth2/jwks").body());
            assertThat(jwks.getKeys()).singleElement().satisfies(key -> assertThat(key.getKeyType().getValue()).isEqualTo("EC"));
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier((header, context) -> { });
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(jwks)));
            assertThat(processor.process(token, null).getSubject()).isEqualTo("1001");
        }
    }
}
