package dev.portcullis.dpop;

import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Stateless nonces: good under the same key in their window and the ones either side, and nowhere else. */
class DpopNoncesTest {

    private static final SecretKeySpec KEY = new SecretKeySpec(new byte[32], "HmacSHA256");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static DpopNonces at(Instant instant, SecretKeySpec key) {
        return new DpopNonces(key, Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void aNonceIsGoodInItsWindowAndTheNeighbouringOnes() {
        String nonce = at(T0, KEY).current();
        long window = DpopNonces.WINDOW_SECONDS;
        assertThat(at(T0, KEY).accepts(nonce)).isTrue();
        assertThat(at(T0.plusSeconds(window), KEY).accepts(nonce)).isTrue();
        assertThat(at(T0.minusSeconds(window), KEY).accepts(nonce)).as("an instance whose clock lags").isTrue();
        assertThat(at(T0.plusSeconds(2 * window), KEY).accepts(nonce)).as("stale").isFalse();
        assertThat(at(T0.minusSeconds(2 * window), KEY).accepts(nonce)).as("from too far ahead").isFalse();
    }

    @Test
    void anotherKeyOrATamperedNonceIsRefused() {
        String nonce = at(T0, KEY).current();
        byte[] other = new byte[32];
        other[0] = 1;
        assertThat(at(T0, new SecretKeySpec(other, "HmacSHA256")).accepts(nonce)).isFalse();
        String tampered = nonce.substring(0, 31) + (nonce.charAt(31) == 'A' ? 'Q' : 'A');
        assertThat(at(T0, KEY).accepts(tampered)).isFalse();
        assertThat(at(T0, KEY).accepts(null)).isFalse();
        assertThat(at(T0, KEY).accepts("short")).isFalse();
        assertThat(at(T0, KEY).accepts(nonce + "x")).isFalse();
    }

    @Test
    void nonceChangesWithTheWindow() {
        assertThat(at(T0, KEY).current()).isNotEqualTo(at(T0.plusSeconds(DpopNonces.WINDOW_SECONDS), KEY).current())
                .isEqualTo(at(T0.plusSeconds(1), KEY).current());
    }
}
