package dev.portcullis.signin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7662 introspection and RFC 7009 revocation of access and refresh tokens, on both stores. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntrospectionAndRevocationTest {

    private static final String INTROSPECT = "/system/auth/TMPRODB88619984-U/oauth2/introspect";
    private static final String REVOKE = "/system/auth/TMPRODB88619984-U/oauth2/revoke";

    private final Map<StoreKind, TestServer> servers = new EnumMap<>(StoreKind.class);

    private TestServer server(StoreKind store) {
        return servers.computeIfAbsent(store, s -> TestServer.start(s, SignInTenants.YAML));
    }

    @AfterAll
    void stop() {
        servers.values().forEach(TestServer::close);
    }

    private static Map<String, String> asWebClient(String token) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("client_id", SignInTenants.WEB);
        form.put("client_secret", SignInTenants.WEB_SECRET);
        return form;
    }

    private static Map<String, String> asSpa(String token) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("client_id", SignInTenants.SPA);
        return form;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAccessTokenIsActiveUntilItsClientRevokesIt(StoreKind store) {
        TestServer server = server(store);
        TokenClient client = new TokenClient(server);
        JsonNode tokens = TokenClient.json(client.redeemSpa(client.spaCode()));
        String accessToken = tokens.get("access_token").asText();

        JsonNode active = TokenClient.json(server.postForm(INTROSPECT, asWebClient(accessToken)));
        assertThat(active.get("active").asBoolean()).isTrue();
        assertThat(active.get("sub").asText()).isEqualTo("1001");
        assertThat(active.get("client_id").asText()).isEqualTo(SignInTenants.SPA);
        assertThat(active.get("actor_type").asText()).isEqualTo("user");
        assertThat(active.get("scope").asText()).isEqualTo("core.aiservices.read core.aiservices.write");

        HttpResponse<String> revoked = server.postForm(REVOKE, asSpa(accessToken));
        assertThat(revoked.statusCode()).isEqualTo(200);
        // strict JSON clients (Spring's, simple-oauth2) fail on an empty text/plain body
        assertThat(revoked.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(revoked.body()).isEqualTo("{}");
        assertThat(TokenClient.json(server.postForm(INTROSPECT, asWebClient(accessToken))).get("active").asBoolean()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void revokingARefreshTokenEndsTheSignIn(StoreKind store) {
        TestServer server = server(store);
        TokenClient client = new TokenClient(server);
        String refresh = TokenClient.json(client.redeemSpa(client.spaCode())).get("refresh_token").asText();

        assertThat(server.postForm(REVOKE, asSpa(refresh)).statusCode()).isEqualTo(200);
        HttpResponse<String> afterwards = client.refreshSpa(refresh, null);
        assertThat(afterwards.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(afterwards).get("error").asText()).isEqualTo("invalid_grant");
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "SQLITE")
    void aClientCannotRevokeAnotherClientsTokenNorIntrospectItsRefreshToken(StoreKind store) {
        TestServer server = server(store);
        TokenClient client = new TokenClient(server);
        JsonNode tokens = TokenClient.json(client.redeemSpa(client.spaCode()));

        HttpResponse<String> foreign = server.postForm(REVOKE, asWebClient(tokens.get("access_token").asText()));
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(foreign).get("error").asText()).isEqualTo("unauthorized_client");

        JsonNode refresh = TokenClient.json(server.postForm(INTROSPECT, asWebClient(tokens.get("refresh_token").asText())));
        assertThat(refresh.get("active").asBoolean()).isFalse();
        assertThat(client.refreshSpa(tokens.get("refresh_token").asText(), null).statusCode())
                .as("nothing was revoked by the refused attempts").isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "SQLITE")
    void introspectionNeedsAConfidentialClientAndRevealsNothingAboutJunk(StoreKind store) {
        TestServer server = server(store);
        assertThat(server.postForm(INTROSPECT, asSpa("anything")).statusCode()).isEqualTo(400);
        Map<String, String> wrongSecret = asWebClient("anything");
        wrongSecret.put("client_secret", "not-the-secret-0123456789abcdefghijklmn");
        HttpResponse<String> refused = server.postForm(INTROSPECT, wrongSecret);
        // credentials in the body: 400, since a 401 must carry a challenge (RFC 9110 15.5.2)
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(TokenClient.json(refused).get("error").asText()).isEqualTo("invalid_client");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isEmpty();

        for (String junk : new String[] {"anything", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}) {
            HttpResponse<String> response = server.postForm(INTROSPECT, asWebClient(junk));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"active\":false}");
            HttpResponse<String> revoked = server.postForm(REVOKE, asWebClient(junk));
            assertThat(revoked.statusCode()).isEqualTo(200);
            assertThat(revoked.body()).isEqualTo("{}");
        }
    }
}
