package dev.portcullis.dpop;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.testing.FuzzSigner;
import dev.portcullis.testing.FuzzSeeds;
import dev.portcullis.testing.FuzzStore;
import dev.portcullis.token.ProofKey;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any DPoP header value, checked as the token endpoint, the PAR endpoint (with nonces required) and the userinfo
 * endpoint check it. An input of two lines is also signed ({@link FuzzSigner}) so the claims reach Nimbus' checks,
 * with {@value #NONCE} in it standing for a fresh nonce of the server's. Each check accepts, naming the key that
 * signed, or refuses with the RFC 9449 error of its endpoint; a resource's refusal carries a challenge of printable
 * ASCII. Any other exception is a finding. Nimbus checks iat against the system clock, so this test runs on it too.
 */
class DpopProofsFuzzTest {

    static final String NONCE = "$NONCE";
    private static final String ACCESS_TOKEN = "fuzz-access-token";
    private static final Clock CLOCK = Clock.systemUTC();
    private static final DpopNonces NONCES = new DpopNonces(new SecretKeySpec(new byte[32], "HmacSHA256"), CLOCK);

    @FuzzTest
    void dpopHeader(byte[] input) {
        DpopProofs proofs = proofs();
        Realm realm = new Realm(FuzzStore.get().tenant(), RealmType.USER);
        String text = new String(input, StandardCharsets.UTF_8);
        checkedEverywhere(proofs, realm, text, Optional.empty());
        signed(text).ifPresent(signed -> checkedEverywhere(proofs, realm, signed, Optional.of(FuzzSigner.thumbprint())));
    }

    private static DpopProofs proofs() {
        return new DpopProofs(new ProofReplays(FuzzStore.get().database().sql(), CLOCK, DpopProofs.IAT_WINDOW_SECONDS), NONCES,
                FuzzStore.PUBLIC_URL);
    }

    private static Optional<String> signed(String text) {
        return FuzzSigner.signed(text.replace(NONCE, NONCES.current()), CLOCK.instant().getEpochSecond());
    }

    private static void checkedEverywhere(DpopProofs proofs, Realm realm, String header, Optional<String> signer) {
        try {
            Optional<ProofKey> key = proofs.tokenRequest(List.of(header), realm, false);
            assertThat(key).isPresent();
            signer.ifPresent(thumbprint -> assertThat(key.get().jkt()).isEqualTo(thumbprint));
        } catch (OAuthException refused) {
            assertThat(refused.error()).isEqualTo(OAuthError.INVALID_DPOP_PROOF);
            assertThat(refused.status()).isEqualTo(400);
        }
        try {
            Optional<ProofKey> key = proofs.authorizationServerRequest(List.of(header), realm, "/oauth2/par", true);
            assertThat(key).isPresent();
        } catch (OAuthException refused) {
            assertThat(refused.error()).isIn(OAuthError.INVALID_DPOP_PROOF, OAuthError.USE_DPOP_NONCE);
            assertThat(refused.status()).isEqualTo(400);
        }
        try {
            proofs.resourceRequest(List.of(header), "GET", realm, "/oauth2/userinfo", ACCESS_TOKEN,
                    signer.orElse(FuzzSigner.thumbprint()));
        } catch (OAuthException refused) {
            assertThat(refused.error()).isIn(OAuthError.INVALID_DPOP_PROOF, OAuthError.INVALID_TOKEN);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.wwwAuthenticate()).hasValueSatisfying(challenge ->
                    assertThat(challenge.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E));
        }
    }

    /** The signed seeds are valid proofs, so fuzzing starts from proofs that reach every check. */
    @Test
    void theSignedSeedsAreValidProofs() {
        DpopProofs proofs = proofs();
        Realm realm = new Realm(FuzzStore.get().tenant(), RealmType.USER);
        assertThat(proofs.tokenRequest(List.of(signedSeed("token-request")), realm, false))
                .contains(new ProofKey(FuzzSigner.thumbprint()));
        assertThat(proofs.authorizationServerRequest(List.of(signedSeed("par-request-with-nonce")), realm, "/oauth2/par", true))
                .contains(new ProofKey(FuzzSigner.thumbprint()));
        proofs.resourceRequest(List.of(signedSeed("resource-request")), "GET", realm, "/oauth2/userinfo", ACCESS_TOKEN,
                FuzzSigner.thumbprint());
    }

    /** A seed proof signed now: each call has its own jti, since the replay table outlives the test. */
    private static String signedSeed(String name) {
        String text = new String(seed(name), StandardCharsets.UTF_8).replace("\"jti\":\"", "\"jti\":\"" + java.util.UUID.randomUUID());
        return signed(text).orElseThrow();
    }

    private static byte[] seed(String name) {
        return FuzzSeeds.read(DpopProofsFuzzTest.class, "dpopHeader", name);
    }
}
