package dev.portcullis.dpop;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Date;
import java.util.Map;

import static dev.portcullis.dpop.DpopClient.TOKEN;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every proof the token endpoint must refuse (RFC 9449 section 4.3) is refused with 400 invalid_dpop_proof, and no
 * token: replayed, for another URL or method, too old or from the future, a bad signature, a private key or none in
 * the header, alg none or HMAC, another typ, two DPoP headers. Without a DPoP header the token is a Bearer token, as
 * before; a proof whose htu differs only by normalization (RFC 3986 section 6.2) is accepted.
 */
class DpopProofRefusalsTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(DpopClient.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    private static DpopClient client(StoreKind store) {
        return new DpopClient(SERVERS.get(store));
    }

    private static void assertRefused(HttpResponse<String> response, String... descriptionContains) {
        assertError(response, 400, "invalid_dpop_proof", descriptionContains);
        assertThat(OAuthResponses.json(response).has("access_token")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutADpopHeaderTheTokenIsABearerTokenAsBefore(StoreKind store) {
        DpopClient client = client(store);
        HttpResponse<String> response = client.clientCredentials();
        OAuthResponses.assertToken(response);
        assertThat(DpopClient.claims(DpopClient.field(response, "access_token")).getClaim("cnf")).isNull();
        assertThat(response.headers().firstValue("DPoP-Nonce")).isEmpty();
        assertThat(DpopClient.field(client.introspect(DpopClient.field(response, "access_token")), "token_type")).isEqualTo("Bearer");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aValidProofBindsTheTokenToItsKeyAndIntrospectionSaysSo(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        HttpResponse<String> response = client.clientCredentials(client.proof(key));
        DpopClient.assertBound(response, key);

        HttpResponse<String> introspection = client.introspect(DpopClient.field(response, "access_token"));
        assertThat(DpopClient.field(introspection, "active")).isEqualTo("true");
        assertThat(DpopClient.field(introspection, "token_type")).isEqualTo("DPoP");
        assertThat(OAuthResponses.json(introspection).path("cnf").path("jkt").asText()).isEqualTo(DpopClient.thumbprint(key));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReplayedProofIsRefused(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        String proof = client.proof(key);
        DpopClient.assertBound(client.clientCredentials(proof), key);
        assertRefused(client.clientCredentials(proof), "jti", "used before");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aProofForAnotherUrlOrMethodIsRefused(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        assertRefused(client.clientCredentials(DpopClient.proof(key, "POST", client.url("/system/auth/TDPOP01-C/oauth2/token"),
                new Date(), null, null)), "htu");
        assertRefused(client.clientCredentials(DpopClient.proof(key, "POST", client.url(TOKEN) + "/other", new Date(), null, null)),
                "htu");
        assertRefused(client.clientCredentials(DpopClient.proof(key, "GET", client.url(TOKEN), new Date(), null, null)), "htm");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aProofWhoseUrlDiffersOnlyByNormalizationIsAccepted(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        String shouted = client.url(TOKEN).replace("http://", "HTTP://");
        DpopClient.assertBound(client.clientCredentials(DpopClient.proof(key, "POST", shouted, new Date(), null, null)), key);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aProofIssuedTooLongAgoOrInTheFutureIsRefused(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        long now = System.currentTimeMillis();
        assertRefused(client.clientCredentials(DpopClient.proof(key, "POST", client.url(TOKEN), new Date(now - 180_000), null, null)),
                "iat");
        assertRefused(client.clientCredentials(DpopClient.proof(key, "POST", client.url(TOKEN), new Date(now + 180_000), null, null)),
                "iat");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aProofSignedByAnotherKeyThanItsJwkIsRefused(StoreKind store) {
        DpopClient client = client(store);
        ECKey named = DpopClient.newKey();
        ECKey signing = DpopClient.newKey();
        String forged = DpopClient.handMade(DpopClient.header(JWSAlgorithm.ES256, "dpop+jwt", named.toPublicJWK()),
                client.proofClaims(), DpopClient.signer(signing), JWSAlgorithm.ES256);
        assertRefused(client.clientCredentials(forged), "signature");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPrivateKeyOrNoKeyInTheHeaderIsRefused(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        String privateJwk = DpopClient.handMade(DpopClient.header(JWSAlgorithm.ES256, "dpop+jwt", key), client.proofClaims(),
                DpopClient.signer(key), JWSAlgorithm.ES256);
        assertRefused(client.clientCredentials(privateJwk), "public key");
        String noJwk = DpopClient.handMade(DpopClient.header(JWSAlgorithm.ES256, "dpop+jwt", null), client.proofClaims(),
                DpopClient.signer(key), JWSAlgorithm.ES256);
        assertRefused(client.clientCredentials(noJwk), "jwk");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void algNoneAndHmacProofsAreRefused(StoreKind store) throws Exception {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        String none = DpopClient.handMade(DpopClient.header(new JWSAlgorithm("none"), "dpop+jwt", key.toPublicJWK()),
                client.proofClaims(), null, null);
        assertRefused(client.clientCredentials(none));
        String hmac = DpopClient.handMade(DpopClient.header(JWSAlgorithm.HS256, "dpop+jwt", key.toPublicJWK()),
                client.proofClaims(), new MACSigner(new byte[32]), JWSAlgorithm.HS256);
        assertRefused(client.clientCredentials(hmac), "HS256");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aProofOfAnotherTypeOrWithoutJtiIsRefused(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        String jwtTyped = DpopClient.handMade(DpopClient.header(JWSAlgorithm.ES256, "JWT", key.toPublicJWK()), client.proofClaims(),
                DpopClient.signer(key), JWSAlgorithm.ES256);
        assertRefused(client.clientCredentials(jwtTyped), "typ");
        JWTClaimsSet noJti = new JWTClaimsSet.Builder(client.proofClaims()).jwtID(null).build();
        String withoutJti = DpopClient.handMade(DpopClient.header(JWSAlgorithm.ES256, "dpop+jwt", key.toPublicJWK()), noJti,
                DpopClient.signer(key), JWSAlgorithm.ES256);
        assertRefused(client.clientCredentials(withoutJti), "jti");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void twoDpopHeadersOrGarbageAreRefused(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        assertRefused(client.clientCredentials(client.proof(key), client.proof(key)), "exactly one DPoP header");
        assertRefused(client.clientCredentials("not-a-jwt"));
        assertRefused(client.clientCredentials("x".repeat(5000)), "longer");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theSameProofFailsWithWrongClientCredentialsWithoutBeingSpent(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        String proof = client.proof(key);
        HttpResponse<String> wrongSecret = client.token(OAuthResponses.form("grant_type", "client_credentials", "client_id",
                DpopClient.WEB, "client_secret", "not-the-secret-0123456789abcdefghijk", "scope", DpopClient.APP), Map.of(), proof);
        assertError(wrongSecret, 400, "invalid_client");
        DpopClient.assertBound(client.clientCredentials(proof), key);
    }
}
