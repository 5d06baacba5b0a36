package dev.portcullis.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.portcullis.oidc.OpenIdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {realm}/.well-known/openid-configuration is an OpenID Provider document that Nimbus resolves and parses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryTest {

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stop() {
        servers.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void bothRealmsResolveAsCompleteOpenIdProviders(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        for (String realm : List.of(USERS, CUSTOMERS)) {
            String issuer = server.baseUrl() + realm;
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(issuer));
            assertThat(metadata.getIssuer().getValue()).isEqualTo(issuer);
            assertThat(metadata.getAuthorizationEndpointURI()).hasToString(issuer + "/oauth2/authorize");
            assertThat(metadata.getTokenEndpointURI()).hasToString(issuer + "/oauth2/token");
            assertThat(metadata.getUserInfoEndpointURI()).hasToString(issuer + "/oauth2/userinfo");
            assertThat(metadata.getJWKSetURI()).hasToString(issuer + "/oauth2/jwks");
            assertThat(metadata.getEndSessionEndpointURI()).hasToString(issuer + "/logout");
            assertThat(metadata.getSubjectTypes()).containsExactly(SubjectType.PUBLIC);
            assertThat(metadata.getResponseTypes()).containsExactly(ResponseType.CODE);
            assertThat(metadata.getResponseModes()).containsExactly(ResponseMode.QUERY);
            // every algorithm a client may register as id_token_signed_response_alg
            assertThat(metadata.getIDTokenJWSAlgs()).containsExactly(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256,
                    JWSAlgorithm.EdDSA);
            assertThat(metadata.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
            assertThat(metadata.supportsClaimsParam()).isFalse();
            assertThat(metadata.supportsRequestParam()).isFalse();
            JsonNode raw = OAuthResponses.json(server.get(realm + "/.well-known/openid-configuration"));
            assertThat(raw.path("claims_parameter_supported").isBoolean()).isTrue();
            assertThat(raw.path("request_parameter_supported").isBoolean()).isTrue();
            assertThat(raw.path("request_uri_parameter_supported").asBoolean(true)).isFalse();
            assertThat(metadata.getScopes().toStringList()).containsExactlyInAnyOrder("openid", "profile", "email", "core.aiservices.read");
            assertThat(metadata.getClaims()).contains("sub", "iss", "auth_time", "nonce", "sid", "email", "email_verified");
            assertThat(metadata.getClaims().contains("preferred_username")).isEqualTo(realm.equals(USERS));
            assertThat(metadata.getTokenEndpointAuthMethods()).extracting(Object::toString)
                    .contains("client_secret_basic", "client_secret_post", "none");
            assertThat(metadata.getGrantTypes()).contains(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN,
                    GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void onlyDelegatedScopesAndTheGrantsATenantsClientsMayUseAreAdvertised(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        String plain = "/system/auth/" + PLAIN_TENANT + "-U";
        for (String path : List.of(plain + "/.well-known/openid-configuration", plain + "/.well-known/oauth-authorization-server",
                "/.well-known/oauth-authorization-server" + plain)) {
            JsonNode document = OAuthResponses.json(server.get(path));
            assertThat(document.path("scopes_supported").toString()).as(path).isEqualTo("[\"openid\"]");
            // an on-behalf-of scope exists, but no client of this tenant holds one: no password grant
            assertThat(document.path("grant_types_supported").toString()).as(path).doesNotContain("\"password\"")
                    .contains("\"client_credentials\"", "\"authorization_code\"");
        }
        JsonNode withObo = OAuthResponses.json(server.get(USERS + "/.well-known/oauth-authorization-server"));
        assertThat(withObo.path("scopes_supported").toString()).doesNotContain("onbehalfof", "app.knowledge");
        assertThat(withObo.path("grant_types_supported").toString()).contains("\"password\"");
        assertThat(withObo.has("userinfo_endpoint")).isFalse();
    }
}
