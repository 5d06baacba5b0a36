package dev.portcullis.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.util.Objects;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring Security's resource server against both realms, with only the issuer URL: its default decoder
 * refuses RFC 9068's typ at+jwt, the configuration the README documents accepts it (and checks it), and a
 * tenant with access_token_typ: JWT works with the default decoder.
 */
class SpringResourceServerTest {

    private static final String API_URL = "https://api.example.test";
    private static final String SECRET = "spring-secret-0123456789abcdefghijklmn";
    private static final String YAML = """
            tenants:
              - id: RFC
                name: RFC 9068 tokens
                scopes: [ { name: obo.read, kind: on-behalf-of } ]
                users: [ { id: "1001", username: alice } ]
                customers: [ { id: "c-1", email: jane@example.com } ]
                clients:
                  - { client_id: rs-client, name: RS, platform: web, secrets: [ "%1$s" ], scopes: [ obo.read ] }
              - id: LEGACY
                name: Resource servers that want typ JWT
                access_token_typ: JWT
                scopes: [ { name: obo.read, kind: on-behalf-of } ]
                users: [ { id: "2001", username: bob } ]
                customers: [ { id: "c-2", email: joe@example.com } ]
                clients:
                  - { client_id: rs-client, name: RS, platform: web, secrets: [ "%1$s" ], scopes: [ obo.read ] }
            """.formatted(SECRET);

    /** An On-Behalf-Of token: of a user in the -U realm, of a customer in the -C realm. */
    private static SignedJWT token(TestServer server, String realm) {
        boolean users = realm.endsWith("-U");
        String tenant = realm.substring(0, realm.length() - 2);
        String subject = tenant.equals("RFC") ? (users ? "alice" : "jane@example.com") : (users ? "bob" : "joe@example.com");
        return assertToken(server.postForm("/system/auth/" + realm + "/oauth2/token", form("grant_type", "password",
                "client_id", "rs-client", "client_secret", SECRET, "scope", "obo.read",
                users ? "subject_username" : "subject_email", subject)));
    }

    /**
     * The README's configuration for Spring Security 6.5: typ is left to the RFC 9068 validator, which requires
     * at+jwt. The builder insists on a client_id check; a resource server serving any client only requires the claim.
     */
    static JwtDecoder rfc9068Decoder(String issuer, String audience) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer).validateType(false).build();
        decoder.setJwtValidator(JwtValidators.createAtJwtValidator().issuer(issuer).audience(audience)
                .validators(checks -> checks.put("client_id", new JwtClaimValidator<Object>("client_id", Objects::nonNull)))
                .build());
        return decoder;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void springsDefaultDecoderRefusesAtJwtAndTheDocumentedValidatorAcceptsIt(StoreKind store) {
        try (TestServer server = TestServer.start(store, YAML)) {
            for (String realm : new String[] {"RFC-U", "RFC-C"}) {
                String issuer = server.baseUrl() + "/system/auth/" + realm;
                SignedJWT token = token(server, realm);
                assertThat(token.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));

                JwtDecoder defaults = JwtDecoders.fromIssuerLocation(issuer);
                assertThatThrownBy(() -> defaults.decode(token.serialize())).as(realm)
                        .isInstanceOf(BadJwtException.class).hasMessageContaining("at+jwt");

                Jwt jwt = rfc9068Decoder(issuer, API_URL).decode(token.serialize());
                assertThat(jwt.getSubject()).as(realm).isEqualTo(realm.endsWith("-U") ? "1001" : "c-1");
                assertThat(jwt.getClaimAsString("client_id")).isEqualTo("rs-client");
                assertThat(jwt.getIssuer().toString()).isEqualTo(issuer);

                // the validator does check: another audience, or the other realm's issuer, is refused
                assertThatThrownBy(() -> rfc9068Decoder(issuer, "https://elsewhere.example").decode(token.serialize()))
                        .isInstanceOf(JwtValidationException.class);
                String otherRealm = realm.endsWith("-U") ? "RFC-C" : "RFC-U";
                assertThatThrownBy(() -> rfc9068Decoder(issuer, API_URL).decode(token(server, otherRealm).serialize()))
                        .isInstanceOf(JwtValidationException.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTenantWithTypJwtWorksWithSpringsDefaultDecoderAndIntrospection(StoreKind store) {
        try (TestServer server = TestServer.start(store, YAML)) {
            for (String realm : new String[] {"LEGACY-U", "LEGACY-C"}) {
                String issuer = server.baseUrl() + "/system/auth/" + realm;
                SignedJWT token = token(server, realm);
                assertThat(token.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);

                Jwt jwt = JwtDecoders.fromIssuerLocation(issuer).decode(token.serialize());
                assertThat(jwt.getSubject()).isEqualTo(realm.endsWith("-U") ? "2001" : "c-2");
                // an RFC 9068 resource server refuses it, as it should: that is why at+jwt stays the default
                assertThatThrownBy(() -> rfc9068Decoder(issuer, API_URL).decode(token.serialize()))
                        .isInstanceOf(JwtValidationException.class).hasMessageContaining("typ");
                assertThat(introspect(server, realm, token)).as("introspection accepts what the tenant issues").isTrue();
            }
        }
    }

    private static boolean introspect(TestServer server, String realm, SignedJWT token) {
        return dev.portcullis.testing.OAuthResponses.json(server.postForm("/system/auth/" + realm + "/oauth2/introspect",
                form("token", token.serialize(), "client_id", "rs-client", "client_secret", SECRET))).path("active").asBoolean();
    }
}
