package dev.portcullis.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed document's exact On-Behalf-Of request, against a tenant configured like the seed, on both stores. */
class SeedOnBehalfOfTest {

    static final String SEED_TENANTS = """
            tenants:
              - id: TMPRODB88619984
                name: Example partition
                scopes:
                  - { name: knowledge.portalmgr.onbehalfof.read, kind: on-behalf-of, description: Read portal content on behalf of a user }
                users:
                  - { id: "1001", username: pa, email: pa@example.com }
                customers:
                  - { id: "c-2001", email: jane@example.com }
                clients:
                  - client_id: 7121f585-e403-4531-9a38-1826ebc7e7d8
                    name: Portal sync
                    platform: web
                    secrets: [ "seed-secret-0123456789abcdefghijklmnop" ]
                    scopes: [ knowledge.portalmgr.onbehalfof.read ]
            """;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void seedRequestReturnsAJwtThatVerifiesAgainstTheJwksUriFromMetadata(StoreKind store) throws Exception {
        try (TestServer server = TestServer.start(store, SEED_TENANTS)) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "password");
            form.put("client_id", "7121f585-e403-4531-9a38-1826ebc7e7d8");
            form.put("client_secret", "seed-secret-0123456789abcdefghijklmnop");
            form.put("scope", "knowledge.portalmgr.onbehalfof.read");
            form.put("subject_username", "pa");
            HttpResponse<String> response = server.postForm("/system/auth/TMPRODB88619984-U/oauth2/token", form);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
            assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
            assertThat(body.get("scope").asText()).isEqualTo("knowledge.portalmgr.onbehalfof.read");

            JsonNode metadata = new ObjectMapper().readTree(
                    server.get("/.well-known/oauth-authorization-server/system/auth/TMPRODB88619984-U").body());
            String issuer = metadata.get("issuer").asText();
            assertThat(issuer).isEqualTo(server.baseUrl() + "/system/auth/TMPRODB88619984-U");

            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                    JWKSourceBuilder.create(URI.create(metadata.get("jwks_uri").asText()).toURL()).build()));
            JWTClaimsSet claims = processor.process(body.get("access_token").asText(), null);

            assertThat(claims.getIssuer()).isEqualTo(issuer);
            assertThat(claims.getSubject()).isEqualTo("1001");
            assertThat(claims.getAudience()).containsExactly("https://api.example.test");
            assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", "7121f585-e403-4531-9a38-1826ebc7e7d8"));
            assertThat(claims.getStringClaim("scope")).isEqualTo("knowledge.portalmgr.onbehalfof.read");
            assertThat(claims.getStringClaim("actor_type")).isEqualTo("client_on_behalf_of_user");
            assertThat(claims.getStringClaim("client_id")).isEqualTo("7121f585-e403-4531-9a38-1826ebc7e7d8");
            assertThat(claims.getStringClaim("tenant")).isEqualTo("TMPRODB88619984");
            assertThat(claims.getStringClaim("username")).isEqualTo("pa");
            assertThat(claims.getJWTID()).isNotBlank();
            assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(3_600_000);
        }
    }
}
