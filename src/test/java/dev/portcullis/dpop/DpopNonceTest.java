package dev.portcullis.dpop;

import com.nimbusds.jose.jwk.ECKey;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Date;

import static dev.portcullis.dpop.DpopClient.TOKEN;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant with {@code dpop: { nonce: true }} (RFC 9449 section 8): a proof without the server's nonce, or with a
 * nonce that is not the server's, gets use_dpop_nonce and a nonce in DPoP-Nonce; a proof with it gets its token and
 * the next nonce. Requests without DPoP are Bearer requests as ever, nonce or not.
 */
class DpopNonceTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(DpopClient.NONCE_YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    private static String nonceOf(HttpResponse<String> response) {
        return response.headers().firstValue("DPoP-Nonce").orElseThrow(() -> new AssertionError("no DPoP-Nonce in " + response));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aProofWithoutTheServersNonceIsAskedToUseOne(StoreKind store) {
        DpopClient client = new DpopClient(SERVERS.get(store));
        ECKey key = DpopClient.newKey();
        HttpResponse<String> demanded = client.clientCredentials(client.proof(key));
        assertError(demanded, 400, "use_dpop_nonce", "DPoP-Nonce");
        String nonce = nonceOf(demanded);

        HttpResponse<String> granted = client.clientCredentials(DpopClient.proof(key, "POST", client.url(TOKEN), new Date(), null, nonce));
        DpopClient.assertBound(granted, key);
        assertThat(nonceOf(granted)).as("the next nonce").isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aNonceTheServerDidNotIssueIsRefused(StoreKind store) {
        DpopClient client = new DpopClient(SERVERS.get(store));
        ECKey key = DpopClient.newKey();
        String real = nonceOf(client.clientCredentials(client.proof(key)));
        String forged = real.substring(0, 20) + (real.charAt(20) == 'A' ? 'B' : 'A') + real.substring(21);
        for (String nonce : new String[] {forged, "made-up", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
            HttpResponse<String> refused = client.clientCredentials(DpopClient.proof(key, "POST", client.url(TOKEN), new Date(), null,
                    nonce));
            assertError(refused, 400, "use_dpop_nonce", "stale or not this server's");
            assertThat(nonceOf(refused)).isNotEqualTo(nonce);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBrowserClientMaySendProofsAndReadTheNonce(StoreKind store) {
        DpopClient client = new DpopClient(SERVERS.get(store));
        String origin = "http://127.0.0.1:5173";
        HttpResponse<String> preflight = client.server.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(client.server.baseUrl() + TOKEN)).method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "POST").build());
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(h -> assertThat(h).contains("DPoP"));

        HttpResponse<String> demanded = client.token(OAuthResponses.form("grant_type", "client_credentials", "client_id",
                DpopClient.WEB, "client_secret", DpopClient.WEB_SECRET, "scope", DpopClient.APP), java.util.Map.of("Origin", origin),
                client.proof(DpopClient.newKey()));
        assertError(demanded, 400, "use_dpop_nonce");
        assertThat(demanded.headers().firstValue("Access-Control-Allow-Origin")).contains(origin);
        assertThat(demanded.headers().firstValue("Access-Control-Expose-Headers")).contains("DPoP-Nonce");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void requestsWithoutDpopAreUntouchedByNonces(StoreKind store) {
        DpopClient client = new DpopClient(SERVERS.get(store));
        HttpResponse<String> response = client.clientCredentials();
        OAuthResponses.assertToken(response);
        assertThat(response.headers().firstValue("DPoP-Nonce")).isEmpty();
    }
}
