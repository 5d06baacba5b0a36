package dev.portcullis.oidc;

import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.portcullis.oidc.OpenIdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring Security's OAuth 2.0 client against both realms, as a Spring Boot application with only an
 * {@code issuer-uri} configures it: discovery through ClientRegistrations, then an OpenID login whose
 * ID token Spring's OidcIdTokenDecoderFactory validates (the browser part driven by BrowserClient).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringSecurityClientTest {

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stop() {
        servers.close();
    }

    private static ClientRegistration registration(ClientRegistration.Builder discovered) {
        return discovered.registrationId("portcullis").clientId(WEB).clientSecret(WEB_SECRET).redirectUri(WEB_REDIRECT)
                .scope("openid", "profile", "email").build();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void clientRegistrationsDiscoverBothRealmsFromTheIssuer(StoreKind store) {
        TestServer server = servers.get(store);
        for (String realm : List.of(USERS, CUSTOMERS)) {
            String issuer = server.baseUrl() + realm;
            for (ClientRegistration registration : List.of(registration(ClientRegistrations.fromIssuerLocation(issuer)),
                    registration(ClientRegistrations.fromOidcIssuerLocation(issuer)))) {
                ClientRegistration.ProviderDetails provider = registration.getProviderDetails();
                assertThat(provider.getIssuerUri()).isEqualTo(issuer);
                assertThat(provider.getAuthorizationUri()).isEqualTo(issuer + "/oauth2/authorize");
                assertThat(provider.getTokenUri()).isEqualTo(issuer + "/oauth2/token");
                assertThat(provider.getJwkSetUri()).isEqualTo(issuer + "/oauth2/jwks");
                assertThat(provider.getUserInfoEndpoint().getUri()).isEqualTo(issuer + "/oauth2/userinfo");
                assertThat(provider.getConfigurationMetadata()).containsEntry("end_session_endpoint", issuer + "/logout")
                        .containsKey("subject_types_supported");
                assertThat(registration.getAuthorizationGrantType()).isEqualTo(AuthorizationGrantType.AUTHORIZATION_CODE);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAuthorizationCodeLoginIsValidatedBySpringsIdTokenDecoder(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        ClientRegistration registration = registration(ClientRegistrations.fromIssuerLocation(server.baseUrl() + USERS));
        String nonce = "spring-nonce-" + System.nanoTime();
        // Spring sends the hash of the nonce it keeps, and compares the ID token's nonce with that hash
        OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri(registration.getProviderDetails().getAuthorizationUri()).clientId(WEB)
                .redirectUri(WEB_REDIRECT).scopes(registration.getScopes()).state("spring-state")
                .attributes(Map.of(OAuth2ParameterNames.REGISTRATION_ID, "portcullis", OidcParameterNames.NONCE, nonce))
                .additionalParameters(Map.of(OidcParameterNames.NONCE, sha256(nonce))).build();
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> redirect = SignInFlow.signIn(browser, request.getAuthorizationRequestUri(), "username", "pa", PA_PASSWORD);
        Map<String, String> query = BrowserClient.redirectParams(redirect);
        OAuth2AuthorizationResponse response = OAuth2AuthorizationResponse.success(query.get("code")).state(query.get("state"))
                .redirectUri(WEB_REDIRECT).build();

        OidcAuthorizationCodeAuthenticationProvider login = new OidcAuthorizationCodeAuthenticationProvider(
                new RestClientAuthorizationCodeTokenResponseClient(), new OidcUserService());
        login.setJwtDecoderFactory(new OidcIdTokenDecoderFactory());
        OAuth2LoginAuthenticationToken result = (OAuth2LoginAuthenticationToken) login.authenticate(
                new OAuth2LoginAuthenticationToken(registration, new OAuth2AuthorizationExchange(request, response)));
        OidcUser user = (OidcUser) result.getPrincipal();
        assertThat(user.getSubject()).isEqualTo("1001");
        assertThat(user.getIdToken().getIssuer()).hasToString(server.baseUrl() + USERS);
        assertThat(user.getIdToken().getAudience()).containsExactly(WEB);
        assertThat(user.getIdToken().getNonce()).isEqualTo(sha256(nonce));
        assertThat(user.getPreferredUsername()).isEqualTo("pa");
        // the userinfo endpoint answered too: Spring merges its claims into the user
        assertThat(user.getUserInfo()).isNotNull();
        assertThat(user.getUserInfo().getEmail()).isEqualTo("pa@example.com");
        assertThat(result.getAccessToken().getScopes()).containsAll(Set.of("openid", "profile", "email"));

        // the decoder itself: the ID token verifies for this client and this realm only
        String idToken = user.getIdToken().getTokenValue();
        Jwt decoded = new OidcIdTokenDecoderFactory().createDecoder(registration).decode(idToken);
        assertThat(decoded.getSubject()).isEqualTo("1001");
        ClientRegistration otherClient = ClientRegistrations.fromIssuerLocation(server.baseUrl() + USERS).registrationId("other")
                .clientId(SPA).redirectUri(SPA_REDIRECT).build();
        assertThatThrownBy(() -> new OidcIdTokenDecoderFactory().createDecoder(otherClient).decode(idToken))
                .isInstanceOf(JwtException.class).hasMessageContaining("aud");
        ClientRegistration otherRealm = registration(ClientRegistrations.fromIssuerLocation(server.baseUrl() + CUSTOMERS));
        assertThatThrownBy(() -> new OidcIdTokenDecoderFactory().createDecoder(otherRealm).decode(idToken))
                .isInstanceOf(JwtException.class);

        // a replayed code is refused by the server, and Spring reports it as an authentication failure
        assertThatThrownBy(() -> login.authenticate(new OAuth2LoginAuthenticationToken(registration,
                new OAuth2AuthorizationExchange(request, response)))).isInstanceOf(OAuth2AuthenticationException.class)
                .hasMessageContaining("invalid_grant");
    }

    private static String sha256(String value) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
    }
}
