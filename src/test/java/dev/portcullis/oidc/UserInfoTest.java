package dev.portcullis.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.oauth2.sdk.id.Issuer;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static dev.portcullis.oidc.OpenIdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code {realm}/oauth2/userinfo}, called as Nimbus' UserInfoRequest calls it, and its RFC 6750 refusals. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserInfoTest {

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stop() {
        servers.close();
    }

    private static URI userInfoEndpoint(TestServer server, String realm) throws Exception {
        return OIDCProviderMetadata.resolve(new Issuer(server.baseUrl() + realm)).getUserInfoEndpointURI();
    }

    private static String accessToken(TestServer server, String realm, String scope) {
        return redeem(server, realm, code(new BrowserClient(server.baseUrl()), realm, spa(scope, "u"))).path("access_token").asText();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void getAndPostReturnTheClaimsTheTokensScopesRelease(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        URI endpoint = userInfoEndpoint(server, USERS);
        assertThat(endpoint.toString()).isEqualTo(server.baseUrl() + USERS + "/oauth2/userinfo");
        BearerAccessToken token = new BearerAccessToken(accessToken(server, USERS, "openid profile email"));
        for (HTTPRequest.Method method : new HTTPRequest.Method[]{HTTPRequest.Method.GET, HTTPRequest.Method.POST}) {
            HTTPRequest request = new UserInfoRequest(endpoint, method, token).toHTTPRequest();
            UserInfoResponse response = UserInfoResponse.parse(request.send());
            assertThat(response.indicatesSuccess()).as(method.name()).isTrue();
            UserInfo info = response.toSuccessResponse().getUserInfo();
            assertThat(info.getSubject().getValue()).isEqualTo("1001");
            assertThat(info.getPreferredUsername()).isEqualTo("pa");
            assertThat(info.getEmailAddress()).isEqualTo("pa@example.com");
            assertThat(info.getEmailVerified()).isFalse();
        }
        UserInfo onlyOpenid = UserInfoResponse.parse(new UserInfoRequest(endpoint,
                new BearerAccessToken(accessToken(server, USERS, "openid"))).toHTTPRequest().send()).toSuccessResponse().getUserInfo();
        assertThat(onlyOpenid.toJSONObject()).containsOnlyKeys("sub");

        UserInfo customer = UserInfoResponse.parse(new UserInfoRequest(userInfoEndpoint(server, CUSTOMERS),
                new BearerAccessToken(accessToken(server, CUSTOMERS, "openid email profile"))).toHTTPRequest().send())
                .toSuccessResponse().getUserInfo();
        assertThat(customer.toJSONObject()).containsOnlyKeys("sub", "email", "email_verified");
        assertThat(customer.getSubject().getValue()).isEqualTo("c-2001");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusalsAreBearerChallengesAndNeverServerErrors(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        URI endpoint = userInfoEndpoint(server, USERS);
        String realmName = server.baseUrl() + USERS;

        // no token at all: a challenge without an error code (RFC 6750 section 3.1)
        HttpResponse<String> none = server.get(USERS + "/oauth2/userinfo");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"" + realmName + "\"");

        UserInfoErrorResponse garbage = UserInfoResponse.parse(new UserInfoRequest(endpoint, new BearerAccessToken("not.a.jwt"))
                .toHTTPRequest().send()).toErrorResponse();
        assertThat(garbage.getErrorObject().getCode()).isEqualTo(BearerTokenError.INVALID_TOKEN.getCode());
        assertThat(garbage.getErrorObject().getHTTPStatusCode()).isEqualTo(401);

        // a token of the other realm is not valid here
        String customerToken = accessToken(server, CUSTOMERS, "openid email");
        assertThat(UserInfoResponse.parse(new UserInfoRequest(endpoint, new BearerAccessToken(customerToken)).toHTTPRequest().send())
                .toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_token");

        // a signed-in user's token without openid
        UserInfoErrorResponse noOpenid = UserInfoResponse.parse(new UserInfoRequest(endpoint,
                new BearerAccessToken(accessToken(server, USERS, "profile core.aiservices.read"))).toHTTPRequest().send()).toErrorResponse();
        assertThat(noOpenid.getErrorObject().getCode()).isEqualTo("insufficient_scope");
        assertThat(noOpenid.getErrorObject().getHTTPStatusCode()).isEqualTo(403);

        // a client's own token (Client Credentials) describes no user
        HttpResponse<String> clientToken = server.postForm(USERS + "/oauth2/token", Map.of("grant_type", "client_credentials",
                "client_id", WEB, "client_secret", WEB_SECRET, "scope", "app.knowledge.contentmgr.manage"));
        String appToken = OAuthResponses.json(clientToken).path("access_token").asText();
        assertThat(UserInfoResponse.parse(new UserInfoRequest(endpoint, new BearerAccessToken(appToken)).toHTTPRequest().send())
                .toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_token");

        // a revoked token stops working at once
        String revoked = accessToken(server, USERS, "openid");
        assertThat(server.postForm(USERS + "/oauth2/revoke", Map.of("token", revoked, "client_id", SPA)).statusCode()).isEqualTo(200);
        HttpResponse<String> afterRevocation = server.send(HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + revoked)
                .GET().build());
        assertThat(afterRevocation.statusCode()).isEqualTo(401);
        assertThat(afterRevocation.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h ->
                assertThat(h).startsWith("Bearer realm=").contains("error=\"invalid_token\""));

        // another scheme, or an over-long token
        HttpResponse<String> basic = server.send(HttpRequest.newBuilder(endpoint).header("Authorization", "Basic YTpi").GET().build());
        assertThat(basic.statusCode()).isEqualTo(400);
        assertThat(OAuthResponses.json(basic).path("error").asText()).isEqualTo("invalid_request");
        HttpResponse<String> huge = server.send(HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + "a".repeat(17_000))
                .GET().build());
        assertThat(huge.statusCode()).isIn(401, 431);

        // an unknown realm, and a method the endpoint does not take
        assertThat(server.get("/system/auth/NOPE-U/oauth2/userinfo").statusCode()).isEqualTo(404);
        assertThat(server.send(HttpRequest.newBuilder(endpoint).DELETE().build()).statusCode()).isEqualTo(405);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void browsersOnTheSpaOriginMayCallItAndOthersMayNot(StoreKind store) {
        TestServer server = servers.get(store);
        String path = USERS + "/oauth2/userinfo";
        HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://127.0.0.1:5173")
                .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization").build());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:5173");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(h -> assertThat(h).contains("Authorization"));

        HttpResponse<String> foreign = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET").build());
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        String token = accessToken(server, USERS, "openid profile");
        HttpResponse<String> call = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Origin", "http://127.0.0.1:5173").header("Authorization", "Bearer " + token).GET().build());
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:5173");
        assertThat(call.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = OAuthResponses.json(call);
        assertThat(body.path("preferred_username").asText()).isEqualTo("pa");
    }
}
