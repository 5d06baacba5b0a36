package dev.portcullis.resourceserver;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** EdDSA is accepted by default exactly when Tink is there to verify it; symmetric algorithms never. */
class AcceptedAlgorithmsTest {

    @Test
    void eddsaIsADefaultOnlyWithTink() {
        assertThat(AcceptedAlgorithms.defaults(true)).containsExactly(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256,
                JWSAlgorithm.EdDSA);
        assertThat(AcceptedAlgorithms.defaults(false)).containsExactly(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    }

    @Test
    void askingForEddsaWithoutTinkFailsAtConfigurationNotAtTheFirstToken() {
        assertThatThrownBy(() -> AcceptedAlgorithms.validated(Set.of(JWSAlgorithm.EdDSA), false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tink");
        assertThat(AcceptedAlgorithms.validated(Set.of(JWSAlgorithm.EdDSA), true)).containsExactly(JWSAlgorithm.EdDSA);
    }

    @Test
    void symmetricAndUnsignedAlgorithmsAreRefused() {
        for (JWSAlgorithm algorithm : new JWSAlgorithm[] {JWSAlgorithm.HS256, JWSAlgorithm.HS512, new JWSAlgorithm("none")}) {
            assertThatThrownBy(() -> AcceptedAlgorithms.validated(Set.of(algorithm), true)).as(algorithm.getName())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void thisBuildsClassPathDecidesTheDefault() {
        // the standalone module has no Tink; the server's build, which compiles these sources too, has it
        boolean tink = AcceptedAlgorithms.tinkPresent();
        assertThat(tink).isEqualTo(getClass().getClassLoader().getResource("com/google/crypto/tink/subtle/Ed25519Verify.class") != null);
    }
}
