package dev.portcullis.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;

import static dev.portcullis.oidc.OpenIdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ID token of an OpenID sign-in, as a relying party checks it with Nimbus' own validator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdTokenTest {

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stop() {
        servers.close();
    }

    private static IDTokenValidator validator(TestServer server, String realm, String clientId) throws Exception {
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(server.baseUrl() + realm));
        return new IDTokenValidator(metadata.getIssuer(), new ClientID(clientId), JWSAlgorithm.RS256,
                metadata.getJWKSetURI().toURL());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anOpenIdSignInReturnsAnIdTokenTheRelyingPartyValidates(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        long before = Instant.now().getEpochSecond();
        JsonNode tokens = redeem(server, USERS, code(browser, USERS,
                with(spa("openid profile email core.aiservices.read", "s1"), "nonce", "n-0S6_WzA2Mj")));

        SignedJWT idToken = (SignedJWT) JWTParser.parse(tokens.path("id_token").asText());
        IDTokenClaimsSet claims = validator(server, USERS, SPA).validate(idToken, new Nonce("n-0S6_WzA2Mj"));
        assertThat(idToken.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(claims.getSubject().getValue()).isEqualTo("1001");
        assertThat(claims.getAudience()).extracting(Object::toString).containsExactly(SPA);
        assertThat(claims.getAuthorizedParty()).as("azp: a single audience needs none").isNull();
        assertThat(claims.getAuthenticationTime().toInstant().getEpochSecond()).isBetween(before - 1, Instant.now().getEpochSecond());
        assertThat(claims.getAMR()).extracting(Object::toString).containsExactly("pwd");
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo("pa");
        assertThat(claims.getStringClaim("email")).isEqualTo("pa@example.com");
        assertThat(claims.getBooleanClaim("email_verified")).isFalse();
        assertThat(claims.getStringClaim("name")).as("no display name is known").isNull();
        // at_hash binds the ID token to the access token of the same response
        AccessTokenValidator.validate(new BearerAccessToken(tokens.path("access_token").asText()), JWSAlgorithm.RS256,
                claims.getAccessTokenHash());
        assertThatThrownBy(() -> AccessTokenValidator.validate(new BearerAccessToken("another-token"), JWSAlgorithm.RS256,
                claims.getAccessTokenHash())).isInstanceOf(Exception.class);

        // sid names the session without revealing the cookie or the hash the database keeps
        String sid = claims.getStringClaim("sid");
        String cookie = browser.cookie("portcullis_session").orElseThrow();
        assertThat(sid).isNotBlank().isNotEqualTo(cookie).isNotEqualTo(SecretHasher.storedHash(cookie));
        assertThat(tokens.path("id_token").asText()).doesNotContain(cookie);

        // a wrong nonce fails validation: the relying party would notice a replayed response
        assertThatThrownBy(() -> validator(server, USERS, SPA).validate(idToken, new Nonce("other")))
                .hasMessageContaining("nonce");
        // the token is signed with the tenant's active key: its kid is in the realm's JWKS
        assertThat(server.get(USERS + "/oauth2/jwks").body()).contains(idToken.getHeader().getKeyID());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRefreshReturnsANewIdTokenForTheSameSignInWithoutTheNonce(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        JsonNode first = redeem(server, USERS, code(browser, USERS, with(spa("openid profile", "s2"), "nonce", "first-nonce")));
        IDTokenClaimsSet original = validator(server, USERS, SPA).validate(JWTParser.parse(first.path("id_token").asText()),
                new Nonce("first-nonce"));
        Thread.sleep(1100);
        JsonNode refreshed = refresh(server, USERS, first.path("refresh_token").asText());
        assertThat(refreshed.path("id_token").asText()).isNotBlank().isNotEqualTo(first.path("id_token").asText());
        IDTokenClaimsSet renewed = validator(server, USERS, SPA).validate(JWTParser.parse(refreshed.path("id_token").asText()), null);
        assertThat(renewed.getSubject()).isEqualTo(original.getSubject());
        assertThat(renewed.getAuthenticationTime()).isEqualTo(original.getAuthenticationTime());
        assertThat(renewed.getStringClaim("sid")).isEqualTo(original.getStringClaim("sid"));
        assertThat(renewed.getNonce()).as("OpenID Connect Core 12.2: no nonce after a refresh").isNull();
        assertThat(renewed.getIssueTime()).isAfter(original.getIssueTime());
        AccessTokenValidator.validate(new BearerAccessToken(refreshed.path("access_token").asText()), JWSAlgorithm.RS256,
                renewed.getAccessTokenHash());
        // a refresh narrowed to a scope without openid is no OpenID response
        JsonNode narrowed = OpenIdFixtures.refreshWithScope(server, USERS, refreshed.path("refresh_token").asText(), "profile");
        assertThat(narrowed.has("id_token")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void customersGetTheirEmailAndNoUsername(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        JsonNode tokens = redeem(server, CUSTOMERS, code(new BrowserClient(server.baseUrl()), CUSTOMERS,
                spa("openid profile email", "s3")));
        IDTokenClaimsSet claims = validator(server, CUSTOMERS, SPA).validate(JWTParser.parse(tokens.path("id_token").asText()), null);
        assertThat(claims.getIssuer().getValue()).isEqualTo(server.baseUrl() + CUSTOMERS);
        assertThat(claims.getSubject().getValue()).isEqualTo("c-2001");
        assertThat(claims.getStringClaim("email")).isEqualTo("jane@example.com");
        assertThat(claims.getStringClaim("preferred_username")).isNull();
        assertThat(claims.getNonce()).as("no nonce was sent").isNull();
        // an ID token of one realm does not validate as the other realm's
        assertThatThrownBy(() -> validator(server, USERS, SPA).validate(JWTParser.parse(tokens.path("id_token").asText()), null))
                .hasMessageContaining("issuer");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutOpenidThereIsNoIdTokenAndScopesReleaseOnlyTheirClaims(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        JsonNode plain = redeem(server, USERS, code(browser, USERS, spa("profile email core.aiservices.read", "s4")));
        assertThat(plain.has("id_token")).isFalse();
        assertThat(plain.fieldNames()).toIterable().containsExactlyInAnyOrder("access_token", "token_type", "expires_in", "scope",
                "refresh_token");

        JsonNode bare = redeem(server, USERS, code(browser, USERS, spa("openid", "s5")));
        IDTokenClaimsSet claims = validator(server, USERS, SPA).validate(JWTParser.parse(bare.path("id_token").asText()), null);
        assertThat(claims.toJSONObject().keySet()).doesNotContain("preferred_username", "email", "email_verified")
                .contains("iss", "sub", "aud", "exp", "iat", "auth_time", "at_hash", "sid", "amr");
        assertThat(List.copyOf(claims.toJSONObject().keySet())).doesNotContain("scope", "client_id");
    }
}
