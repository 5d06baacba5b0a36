package dev.portcullis.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.portcullis.signin.SignInTenants.SEED_REDIRECT;
import static dev.portcullis.signin.SignInTenants.SPA;
import static dev.portcullis.signin.SignInTenants.VERIFIER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PKCE seed, byte for byte: its example authorization URL leads to the login page, and after
 * sign-in and Allow the redirect carries a code and the seed's state; the seed's token request
 * with that code and the RFC 7636 verifier returns a token that verifies against the JWKS.
 */
class SeedPkceFlowTest {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void seedFlowSignsInAUserAndACustomer(StoreKind store) throws Exception {
        try (TestServer server = TestServer.start(store, SignInTenants.YAML)) {
            JWTClaimsSet user = signInAndExchange(server, "U", "username", "pa", "pa-password-123");
            assertThat(user.getSubject()).isEqualTo("1001");
            assertThat(user.getStringClaim("actor_type")).isEqualTo("user");
            assertThat(user.getStringClaim("username")).isEqualTo("pa");
            assertThat(user.getClaim("act")).isNull();

            JWTClaimsSet customer = signInAndExchange(server, "C", "email", "jane@example.com", "jane-password-123");
            assertThat(customer.getSubject()).isEqualTo("c-2001");
            assertThat(customer.getStringClaim("actor_type")).isEqualTo("customer");
            assertThat(customer.getStringClaim("email")).isEqualTo("jane@example.com");
            assertThat(customer.getClaim("username")).isNull();
        }
    }

    private static JWTClaimsSet signInAndExchange(TestServer server, String realm, String field, String identifier,
                                                  String password) throws Exception {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> login = browser.get(SignInTenants.seedAuthorizePath(realm));
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains(">Sign in</button>").contains(">Password</label>");

        HttpResponse<String> redirect = SignInFlow.signIn(browser, SignInTenants.seedAuthorizePath(realm), field, identifier, password);
        assertThat(BrowserClient.location(redirect)).startsWith(SEED_REDIRECT + "?code=");
        Map<String, String> params = BrowserClient.redirectParams(redirect);
        assertThat(params.get("state")).isEqualTo("a1b2c3d4e5f67890");
        String issuer = server.baseUrl() + "/system/auth/TMPRODB88619984-" + realm;
        assertThat(params.get("iss")).isEqualTo(issuer);

        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", params.get("code"));
        form.put("redirect_uri", SEED_REDIRECT);
        form.put("client_id", SPA);
        form.put("code_verifier", VERIFIER);
        HttpResponse<String> token = server.postForm("/system/auth/TMPRODB88619984-" + realm + "/oauth2/token", form);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(token.body());
        assertThat(body.get("scope").asText()).isEqualTo("core.aiservices.read core.aiservices.write");
        assertThat(body.get("refresh_token").asText()).hasSize(43);

        JsonNode metadata = new ObjectMapper().readTree(server.get("/system/auth/TMPRODB88619984-" + realm
                + "/.well-known/oauth-authorization-server").body());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                JWKSourceBuilder.create(URI.create(metadata.get("jwks_uri").asText()).toURL()).build()));
        JWTClaimsSet claims = processor.process(body.get("access_token").asText(), null);
        assertThat(claims.getIssuer()).isEqualTo(issuer);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(SPA);
        assertThat(claims.getStringClaim("scope")).isEqualTo("core.aiservices.read core.aiservices.write");
        return claims;
    }
}
