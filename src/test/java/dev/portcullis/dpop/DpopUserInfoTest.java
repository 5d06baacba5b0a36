package dev.portcullis.dpop;

import com.nimbusds.jose.jwk.ECKey;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;

import static dev.portcullis.dpop.DpopClient.USERINFO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The userinfo endpoint, the server's own protected resource, takes a DPoP-bound token only with the DPoP scheme and a
 * proof of its key over the request and the token (RFC 9449 section 7), and refuses it as a Bearer token.
 */
class DpopUserInfoTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(DpopClient.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    private static HttpResponse<String> userInfo(DpopClient client, String authorization, String... proofs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.server.baseUrl() + USERINFO)).header("Authorization", authorization)
                .GET();
        for (String proof : proofs) {
            request.header("DPoP", proof);
        }
        return client.server.send(request.build());
    }

    private static String userInfoProof(DpopClient client, ECKey key, String token) {
        return DpopClient.proof(key, "GET", client.url(USERINFO), new Date(), token, null);
    }

    private static void assertChallenge(HttpResponse<String> response, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge -> assertThat(challenge)
                .startsWith("DPoP realm=").contains("error=\"" + error + "\"").contains("algs=\"ES256"));
        assertThat(OAuthResponses.json(response).path("error").asText()).isEqualTo(error);
    }

    private static String boundToken(DpopClient client, ECKey key) {
        HttpResponse<String> redeemed = client.redeemSpa(client.spaCode("openid " + DpopClient.READ, null), client.proof(key));
        DpopClient.assertBound(redeemed, key);
        return DpopClient.field(redeemed, "access_token");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBoundTokenWithAProofOfItsKeyIsAnswered(StoreKind store) {
        DpopClient client = new DpopClient(SERVERS.get(store));
        ECKey key = DpopClient.newKey();
        String token = boundToken(client, key);
        HttpResponse<String> answered = userInfo(client, "DPoP " + token, userInfoProof(client, key, token));
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(OAuthResponses.json(answered).path("sub").asText()).isEqualTo("1001");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBoundTokenIsRefusedAsBearerOrWithoutAGoodProof(StoreKind store) {
        DpopClient client = new DpopClient(SERVERS.get(store));
        ECKey key = DpopClient.newKey();
        String token = boundToken(client, key);

        assertChallenge(userInfo(client, "Bearer " + token), "invalid_token");
        assertChallenge(userInfo(client, "DPoP " + token), "invalid_dpop_proof");
        assertChallenge(userInfo(client, "DPoP " + token, userInfoProof(client, DpopClient.newKey(), token)), "invalid_token");
        assertChallenge(userInfo(client, "DPoP " + token, userInfoProof(client, key, "another-token")), "invalid_token");
        assertChallenge(userInfo(client, "DPoP " + token, DpopClient.proof(key, "GET", client.url(USERINFO), new Date(), null, null)),
                "invalid_dpop_proof");
        assertChallenge(userInfo(client, "DPoP " + token, DpopClient.proof(key, "POST", client.url(USERINFO), new Date(), token, null)),
                "invalid_dpop_proof");

        String proof = userInfoProof(client, key, token);
        assertThat(userInfo(client, "DPoP " + token, proof).statusCode()).isEqualTo(200);
        assertChallenge(userInfo(client, "DPoP " + token, proof), "invalid_dpop_proof");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBearerTokenIsNotTakenWithTheDpopScheme(StoreKind store) {
        DpopClient client = new DpopClient(SERVERS.get(store));
        ECKey key = DpopClient.newKey();
        String bearer = DpopClient.field(client.redeemSpa(client.spaCode("openid " + DpopClient.READ, null)), "access_token");
        assertThat(userInfo(client, "Bearer " + bearer).statusCode()).isEqualTo(200);
        assertChallenge(userInfo(client, "DPoP " + bearer, userInfoProof(client, key, bearer)), "invalid_token");
    }
}
