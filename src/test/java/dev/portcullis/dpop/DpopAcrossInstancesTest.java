package dev.portcullis.dpop;

import com.nimbusds.jose.jwk.ECKey;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Date;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one database behind one public URL, as behind a load balancer: a proof spent at one is refused
 * at the other (the jti is in the shared dpop_proofs table, not in either's memory), and a nonce one hands out is
 * good at the other (both derive the nonce key from the same master key).
 */
class DpopAcrossInstancesTest {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aProofUsedAtOneInstanceIsRefusedAtTheOther(StoreKind store) {
        try (TestServer a = TestServer.start(store, DpopClient.YAML);
             TestServer b = TestServer.secondInstance(a, Map.of("public_url", a.baseUrl()))) {
            DpopClient atA = new DpopClient(a);
            DpopClient atB = new DpopClient(b, a.baseUrl());
            ECKey key = DpopClient.newKey();

            String proof = atA.proof(key);
            DpopClient.assertBound(atA.clientCredentials(proof), key);
            assertError(atB.clientCredentials(proof), 400, "invalid_dpop_proof", "used before");

            // B takes a fresh proof for the same URL: the refusal was the replay, not the instance
            DpopClient.assertBound(atB.clientCredentials(atB.proof(key)), key);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aNonceFromOneInstanceIsAcceptedByTheOther(StoreKind store) {
        try (TestServer a = TestServer.start(store, DpopClient.NONCE_YAML);
             TestServer b = TestServer.secondInstance(a, Map.of("public_url", a.baseUrl()))) {
            DpopClient atA = new DpopClient(a);
            DpopClient atB = new DpopClient(b, a.baseUrl());
            ECKey key = DpopClient.newKey();

            HttpResponse<String> demanded = atA.clientCredentials(atA.proof(key));
            assertError(demanded, 400, "use_dpop_nonce");
            String nonce = demanded.headers().firstValue("DPoP-Nonce").orElseThrow();

            String proof = DpopClient.proof(key, "POST", atB.url(DpopClient.TOKEN), new Date(), null, nonce);
            DpopClient.assertBound(atB.clientCredentials(proof), key);
            assertThat(OAuthResponses.json(atB.clientCredentials(proof)).path("error").asText()).isEqualTo("invalid_dpop_proof");
        }
    }
}
