package dev.portcullis.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectUrisTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://oauth.pstmn.io/v1/callback", "http://127.0.0.1:5173/", "http://localhost/cb",
            "http://[::1]:8080/cb", "com.example.app:/oauth2redirect", "https://app.example.com/cb?x=1"})
    void registrableRedirectUris(String uri) {
        assertThat(RedirectUris.problem(uri)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "JavaScript://x/%0aalert(1)", "data:text/html,hi", "vbscript:x", "file:///etc/passwd",
            "http://app.example.com/cb", "https://app.example.com/cb#frag", "/relative/cb", "myapp:/cb", "https:///nohost", "not a uri"})
    void refusedRedirectUris(String uri) {
        assertThat(RedirectUris.problem(uri)).isPresent();
    }
}
