package dev.portcullis.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which redirect URIs each platform may register, and the native loopback any-port match of RFC 8252 section 7.3. */
class RedirectUrisTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://oauth.pstmn.io/v1/callback", "http://127.0.0.1:5173/", "http://localhost/cb",
            "http://[::1]:8080/cb", "com.example.app:/oauth2redirect", "https://app.example.com/cb?x=1"})
    void registrableWebAndSpaRedirectUris(String uri) {
        assertThat(RedirectUris.problem(uri, Platform.WEB)).isEmpty();
        assertThat(RedirectUris.problem(uri, Platform.SPA)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "JavaScript://x/%0aalert(1)", "data:text/html,hi", "vbscript:x", "file:///etc/passwd",
            "http://app.example.com/cb", "https://app.example.com/cb#frag", "/relative/cb", "myapp:/cb", "https:///nohost", "not a uri"})
    void refusedRedirectUrisOnEveryPlatform(String uri) {
        for (Platform platform : Platform.values()) {
            assertThat(RedirectUris.problem(uri, platform)).as("%s for %s", uri, platform).isPresent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/callback", "http://127.0.0.1:8400/callback", "http://[::1]/callback",
            "http://[::1]:51004/oauth2redirect/example-provider", "http://127.0.0.1/cb?client=desktop",
            "com.example.app:/oauth2redirect/example-provider", "com.example.app://callback", "https://app.example.com/native"})
    void registrableNativeRedirectUris(String uri) {
        assertThat(RedirectUris.problem(uri, Platform.NATIVE)).isEmpty();
    }

    @Test
    void nativeLoopbackMustBeTheIpLiteralNotLocalhost() {
        assertThat(RedirectUris.problem("http://localhost/callback", Platform.NATIVE)).hasValueSatisfying(problem ->
                assertThat(problem).contains("not localhost").contains("http://127.0.0.1/").contains("RFC 8252 8.3"));
        assertThat(RedirectUris.problem("http://LOCALHOST:8080/callback", Platform.NATIVE)).hasValueSatisfying(problem ->
                assertThat(problem).contains("not localhost"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"myapp:/callback", "app.:/cb", "com..example:/cb", "com.example.app+x:/cb", "http://10.0.0.1/cb",
            "http://127.0.0.2/cb", "http://127.0.0.1:0/cb", "http://127.0.0.1:70000/cb", "http://user@127.0.0.1/cb"})
    void nativeRefusesOtherSchemesAndAddresses(String uri) {
        assertThat(RedirectUris.problem(uri, Platform.NATIVE)).as(uri).isPresent();
    }

    @Test
    void nativeLoopbackMatchesAnyPortButTheSameAddressPathAndQuery() {
        List<String> registered = List.of("http://127.0.0.1/callback", "http://[::1]:9000/cb?x=1", "com.example.app:/callback");
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:53011/callback", Platform.NATIVE)).isTrue();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1/callback", Platform.NATIVE)).isTrue();
        assertThat(RedirectUris.matches(registered, "http://[::1]:1234/cb?x=1", Platform.NATIVE)).isTrue();
        assertThat(RedirectUris.matches(registered, "com.example.app:/callback", Platform.NATIVE)).isTrue();

        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:53011/callback/", Platform.NATIVE)).as("path").isFalse();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:53011/other", Platform.NATIVE)).as("path").isFalse();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:53011/callback?x=1", Platform.NATIVE)).as("query").isFalse();
        assertThat(RedirectUris.matches(registered, "http://[::1]:1234/callback", Platform.NATIVE)).as("address").isFalse();
        assertThat(RedirectUris.matches(registered, "http://localhost:53011/callback", Platform.NATIVE)).as("localhost").isFalse();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:53011@evil.example/callback", Platform.NATIVE)).isFalse();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:99999/callback", Platform.NATIVE)).as("port range").isFalse();
        assertThat(RedirectUris.matches(registered, "https://127.0.0.1:53011/callback", Platform.NATIVE)).as("scheme").isFalse();
        assertThat(RedirectUris.matches(registered, "com.example.app:/callback2", Platform.NATIVE)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Platform.class, names = {"WEB", "SPA"})
    void webAndSpaLoopbackRedirectsStillMatchExactly(Platform platform) {
        List<String> registered = List.of("http://127.0.0.1:5173/");
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:5173/", platform)).isTrue();
        assertThat(RedirectUris.matches(registered, "http://127.0.0.1:5174/", platform)).isFalse();
    }
}
