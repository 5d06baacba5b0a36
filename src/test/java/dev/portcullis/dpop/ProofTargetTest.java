package dev.portcullis.dpop;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** htu is compared after RFC 3986 syntax- and scheme-based normalization, and nothing looser. */
class ProofTargetTest {

    private static final URI TOKEN = URI.create("https://auth.example.com/system/auth/T-U/oauth2/token");

    @ParameterizedTest
    @ValueSource(strings = {
            "https://auth.example.com/system/auth/T-U/oauth2/token",
            "HTTPS://Auth.Example.COM/system/auth/T-U/oauth2/token",
            "https://auth.example.com:443/system/auth/T-U/oauth2/token"})
    void theSameResourceSpelledDifferentlyMatches(String htu) {
        assertThat(ProofTarget.sameResource(htu, TOKEN)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://auth.example.com/system/auth/T-U/oauth2/token",
            "https://auth.example.com:8443/system/auth/T-U/oauth2/token",
            "https://auth.example.org/system/auth/T-U/oauth2/token",
            "https://auth.example.com/system/auth/T-C/oauth2/token",
            "https://auth.example.com/system/auth/T-U/oauth2/token?x=1",
            "https://auth.example.com/system/auth/T-U/oauth2/token#f",
            "https://user@auth.example.com/system/auth/T-U/oauth2/token",
            "https://auth.example.com/system/auth/t-u/oauth2/token",
            "/system/auth/T-U/oauth2/token",
            "not a uri"})
    void anythingElseDoesNot(String htu) {
        assertThat(ProofTarget.sameResource(htu, TOKEN)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://auth.example.com/system/auth/T-U/oauth2/token", "https://evil.example/token"})
    void nimbusIsHandedTheClaimOnlyWhenItNamesTheEndpoint(String htu) {
        URI compared = ProofTarget.comparedWith(htu, TOKEN);
        assertThat(compared).isEqualTo(TOKEN);
        assertThat(ProofTarget.comparedWith("HTTPS://auth.example.com/system/auth/T-U/oauth2/token", TOKEN).toString())
                .isEqualTo("HTTPS://auth.example.com/system/auth/T-U/oauth2/token");
    }
}
