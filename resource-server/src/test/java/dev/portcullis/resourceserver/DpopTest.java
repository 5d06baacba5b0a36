package dev.portcullis.resourceserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.portcullis.resourceserver.FakeIssuer.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DPoP-bound tokens (RFC 9449 section 7): accepted only with the DPoP scheme and a proof of their key for this request,
 * refused as Bearer tokens; every proof check refuses with a DPoP challenge naming the failed check.
 */
class DpopTest {

    private static final String URL = "https://api.example.test/api/v1/articles";
    private static final AccessRule READ = AccessRule.allow(ActorType.CLIENT_ON_BEHALF_OF_USER, "knowledge.portalmgr.onbehalfof.read");
    private static FakeIssuer issuer;
    private static ResourceServer tokens;
    private final ECKey key = newKey();

    @BeforeAll
    static void start() {
        issuer = new FakeIssuer("T1-U");
        tokens = ResourceServer.builder().trustIssuer(issuer.issuer()).audience(API).build();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String thumbprint(ECKey key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token of the fake issuer bound to {@code key}. */
    static String boundToken(ECKey key) {
        return issuer.sign(issuer.claims().claim("cnf", Map.of("jkt", thumbprint(key))).build());
    }

    static JWTClaimsSet.Builder proofClaims(String method, String url, String token) {
        return new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", method).claim("htu", url)
                .issueTime(new Date()).claim("ath", DpopProofChecks.sha256(token));
    }

    /** A proof as a DPoP client makes it: typ dpop+jwt, ES256, the public key in jwk. */
    static String proof(ECKey key, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static String proof(ECKey key, String method, String url, String token) {
        return proof(key, proofClaims(method, url, token).build());
    }

    /** A proof with exactly this header, which no honest client library writes. */
    static String handMade(Map<String, Object> header, JWTClaimsSet claims, com.nimbusds.jose.JWSSigner signer, JWSAlgorithm alg)
            throws JOSEException {
        String input = Base64URL.encode(JSONObjectUtils.toJSONString(header).getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8));
        return signer == null ? input + "." : input + "." + signer.sign(new JWSHeader(alg), input.getBytes(StandardCharsets.US_ASCII));
    }

    private static Decision get(ResourceServer server, String authorization, String... proofs) {
        return server.authorize(ResourceRequest.of("GET", URL + "?page=2", authorization, List.of(proofs)), READ);
    }

    private static void assertDpopRefusal(Decision decision, String error, String... descriptionContains) {
        assertThat(decision).isInstanceOf(Decision.Refused.class);
        Decision.Refused refused = (Decision.Refused) decision;
        assertThat(refused.status()).as(refused.jsonBody()).isEqualTo(401);
        assertThat(refused.wwwAuthenticate()).startsWith("DPoP realm=\"" + API + "\", error=\"" + error + "\"")
                .contains("algs=\"ES256");
        assertThat(refused.jsonBody()).contains("\"error\":\"" + error + "\"");
        for (String fragment : descriptionContains) {
            assertThat(refused.jsonBody()).contains(fragment);
        }
    }

    @Test
    void aBoundTokenWithAProofOfItsKeyIsAllowed() {
        String token = boundToken(key);
        Decision decision = get(tokens, "DPoP " + token, proof(key, "GET", URL, token));
        assertThat(decision).isInstanceOf(Decision.Allowed.class);
        assertThat(((Decision.Allowed) decision).token().dpopThumbprint()).contains(thumbprint(key));
    }

    @Test
    void aBoundTokenIsRefusedAsABearerToken() {
        String token = boundToken(key);
        assertDpopRefusal(get(tokens, "Bearer " + token), "invalid_token", "DPoP-bound");
        assertDpopRefusal(tokens.authorize("Bearer " + token, READ), "invalid_token", "DPoP-bound");
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("DPoP-bound");
        // the header-only entry point cannot check a proof, so it does not take the DPoP scheme at all
        assertThat(((Decision.Refused) tokens.authorize("DPoP " + token, READ)).status()).isEqualTo(401);
    }

    @Test
    void theDpopSchemeNeedsABoundTokenAndAProofOfItsKey() {
        String token = boundToken(key);
        assertDpopRefusal(get(tokens, "DPoP " + token), "invalid_dpop_proof", "needs a DPoP proof");
        assertDpopRefusal(get(tokens, "DPoP " + token, proof(newKey(), "GET", URL, token)), "invalid_token", "another key");
        String unbound = issuer.token();
        assertDpopRefusal(get(tokens, "DPoP " + unbound, proof(key, "GET", URL, unbound)), "invalid_token", "not DPoP-bound");
    }

    @Test
    void aProofForAnotherRequestOrTokenIsRefused() {
        String token = boundToken(key);
        assertDpopRefusal(get(tokens, "DPoP " + token, proof(key, "POST", URL, token)), "invalid_dpop_proof", "htm");
        assertDpopRefusal(get(tokens, "DPoP " + token, proof(key, "GET", URL + "/other", token)), "invalid_dpop_proof", "htu");
        assertDpopRefusal(get(tokens, "DPoP " + token, proof(key, "GET", "https://evil.example/api/v1/articles", token)),
                "invalid_dpop_proof", "htu");
        assertDpopRefusal(get(tokens, "DPoP " + token, proof(key, "GET", URL, boundToken(key))), "invalid_dpop_proof", "ath");
        assertDpopRefusal(get(tokens, "DPoP " + token, proof(key, proofClaims("GET", URL, token).claim("ath", null).build())),
                "invalid_dpop_proof", "ath");
    }

    @Test
    void aProofFromTooLongAgoOrTheFutureIsRefused() {
        String token = boundToken(key);
        long now = System.currentTimeMillis();
        assertDpopRefusal(get(tokens, "DPoP " + token, proof(key, proofClaims("GET", URL, token).issueTime(new Date(now - 180_000))
                .build())), "invalid_dpop_proof", "iat");
        assertDpopRefusal(get(tokens, "DPoP " + token, proof(key, proofClaims("GET", URL, token).issueTime(new Date(now + 180_000))
                .build())), "invalid_dpop_proof", "iat");
    }

    @Test
    void aReplayedProofIsRefused() {
        String token = boundToken(key);
        String proof = proof(key, "GET", URL, token);
        assertThat(get(tokens, "DPoP " + token, proof)).isInstanceOf(Decision.Allowed.class);
        assertDpopRefusal(get(tokens, "DPoP " + token, proof), "invalid_dpop_proof", "used before");
    }

    @Test
    void malformedProofsAreRefused() throws Exception {
        String token = boundToken(key);
        JWTClaimsSet claims = proofClaims("GET", URL, token).build();
        Map<String, Object> header = new LinkedHashMap<>(Map.of("typ", "dpop+jwt", "alg", "ES256"));
        header.put("jwk", key.toJSONObject());
        assertDpopRefusal(get(tokens, "DPoP " + token, handMade(header, claims, new ECDSASigner(key), JWSAlgorithm.ES256)),
                "invalid_dpop_proof", "public key");
        header.put("jwk", key.toPublicJWK().toJSONObject());
        header.put("alg", "none");
        assertDpopRefusal(get(tokens, "DPoP " + token, handMade(header, claims, null, null)), "invalid_dpop_proof", "not a JWT signed");
        header.put("alg", "HS256");
        assertDpopRefusal(get(tokens, "DPoP " + token, handMade(header, claims, new MACSigner(new byte[32]), JWSAlgorithm.HS256)),
                "invalid_dpop_proof", "HS256");
        header.put("alg", "ES256");
        header.put("typ", "JWT");
        assertDpopRefusal(get(tokens, "DPoP " + token, handMade(header, claims, new ECDSASigner(key), JWSAlgorithm.ES256)),
                "invalid_dpop_proof", "typ");
        header.put("typ", "dpop+jwt");
        assertDpopRefusal(get(tokens, "DPoP " + token, handMade(header, claims, new ECDSASigner(newKey()), JWSAlgorithm.ES256)),
                "invalid_dpop_proof", "signature");
        assertDpopRefusal(get(tokens, "DPoP " + token, proof(key, "GET", URL, token), proof(key, "GET", URL, token)),
                "invalid_dpop_proof", "exactly one");
    }

    @Test
    void anInsufficientScopeIsAnsweredInTheDpopScheme() {
        String token = issuer.sign(issuer.claims().claim("scope", "other.scope").claim("cnf", Map.of("jkt", thumbprint(key))).build());
        Decision.Refused refused = (Decision.Refused) get(tokens, "DPoP " + token, proof(key, "GET", URL, token));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.wwwAuthenticate()).startsWith("DPoP realm=").contains("error=\"insufficient_scope\"");
    }

    @Test
    void behindAProxyProofsNameThePublicUrl() {
        ResourceServer proxied = ResourceServer.builder().trustIssuer(issuer.issuer()).audience(API)
                .publicBaseUrl("https://api.example.test").build();
        String token = boundToken(key);
        Decision decision = proxied.authorize(ResourceRequest.of("GET", "http://10.0.0.1:8080/api/v1/articles", "DPoP " + token,
                List.of(proof(key, "GET", URL, token))), READ);
        assertThat(decision).isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void aFullReplayCacheRefusesNewProofsForNowRatherThanForgetOne() {
        ResourceServer small = ResourceServer.builder().trustIssuer(issuer.issuer()).audience(API).dpopReplayCacheSize(1).build();
        String token = boundToken(key);
        assertThat(get(small, "DPoP " + token, proof(key, "GET", URL, token))).isInstanceOf(Decision.Allowed.class);
        Decision.Refused refused = (Decision.Refused) get(small, "DPoP " + token, proof(key, "GET", URL, token));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers()).containsKey("Retry-After");
    }
}
