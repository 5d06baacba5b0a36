package dev.portcullis.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Strict application/x-www-form-urlencoded decoding (RFC 6749 3.1, 3.2; WHATWG urlencoded). */
class FormParametersTest {

    private static FormParameters parse(String body) {
        return FormParameters.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertInvalidRequest(String body, String descriptionContains) {
        assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(OAuthException.class, e -> {
            assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST);
            assertThat(e.description()).contains(descriptionContains);
        });
    }

    @Test
    void decodesNamesAndValuesInOrder() {
        FormParameters form = parse("grant_type=password&client_id=abc&scope=a%20b");
        assertThat(form.asMap()).containsExactly(Map.entry("grant_type", "password"), Map.entry("client_id", "abc"),
                Map.entry("scope", "a b"));
        assertThat(form.get("client_id")).contains("abc");
        assertThat(form.require("grant_type")).isEqualTo("password");
        assertThat(form.has("nope")).isFalse();
        assertThat(form.get("nope")).isEmpty();
    }

    @Test
    void valuesAreHeldToTheirParametersLimitsCountingDecodedCharacters() {
        assertThat(parse("client_id=" + "a".repeat(255)).get("client_id")).hasValueSatisfying(v -> assertThat(v).hasSize(255));
        assertInvalidRequest("client_id=" + "a".repeat(256), "'client_id' is longer than 255 characters");
        assertInvalidRequest("client_id=" + "%C3%A9".repeat(256), "'client_id' is longer than 255");
        assertThat(parse("redirect_uri=" + "u".repeat(2048)).get("redirect_uri")).isPresent();
        assertInvalidRequest("redirect_uri=" + "u".repeat(2049), "'redirect_uri' is longer than 2048");
        assertInvalidRequest("unknown_thing=" + "x".repeat(4097), "'unknown_thing' is longer than 4096");
        assertThat(parse("token=" + "t".repeat(16_384)).get("token")).isPresent();
    }

    @Test
    void longParameterNamesAndTooManyParametersAreRefused() {
        assertInvalidRequest("n".repeat(65) + "=1", "name longer than 64");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : "&").append("p").append(i).append("=1");
        }
        assertInvalidRequest(many.toString(), "more than 64 parameters");
        assertThat(parse(many.substring(0, many.lastIndexOf("&"))).names()).hasSize(64);
    }

    @Test
    void plusIsASpaceAndEncodedPlusIsAPlus() {
        FormParameters form = parse("scope=a+b&secret=x%2By%2Fz%3D&name%2Bx=1");
        assertThat(form.get("scope")).contains("a b");
        assertThat(form.get("secret")).contains("x+y/z=");
        assertThat(form.get("name+x")).contains("1");
    }

    @Test
    void percentEscapesAreCaseInsensitiveAndDecodeUtf8() {
        FormParameters form = parse("a=%C3%A9t%c3%a9&b=%E2%82%AC&c=%F0%9F%98%80&d=%3d%26");
        assertThat(form.get("a")).contains("été");
        assertThat(form.get("b")).contains("€");
        assertThat(form.get("c")).contains("😀");
        assertThat(form.get("d")).contains("=&");
    }

    @Test
    void rawUtf8IsAcceptedToo() {
        assertThat(parse("name=Jürgen").get("name")).contains("Jürgen");
    }

    @Test
    void onlyTheFirstEqualsSplitsNameFromValue() {
        assertThat(parse("a=b=c").get("a")).contains("b=c");
    }

    @Test
    void emptyValuesCountAsOmitted() {
        FormParameters form = parse("scope=&client_id=x&flag&subject_username=");
        assertThat(form.has("scope")).isFalse();
        assertThat(form.has("flag")).isFalse();
        assertThat(form.has("subject_username")).isFalse();
        assertThat(form.names()).containsExactly("client_id");
        assertThatThrownBy(() -> form.require("scope")).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.description()).contains("'scope'"));
    }

    @Test
    void emptyPairsAndAnEmptyBodyAreIgnored() {
        assertThat(parse("&&a=1&&").asMap()).containsExactly(Map.entry("a", "1"));
        assertThat(parse("").asMap()).isEmpty();
    }

    @Test
    void aRepeatedParameterIsRefusedEvenWithTheSameOrAnEmptyValue() {
        assertInvalidRequest("scope=a&scope=b", "'scope' is repeated");
        assertInvalidRequest("scope=a&scope=a", "'scope' is repeated");
        assertInvalidRequest("scope=&scope=a", "'scope' is repeated");
        assertInvalidRequest("sc%6fpe=a&scope=b", "'scope' is repeated");
    }

    @Test
    void aParameterWithoutANameIsRefused() {
        assertInvalidRequest("=value", "no name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%zz", "a=%f", "a=%", "a=%g0", "a=%0g", "%=1", "a=1%2", "a=%%41"})
    void malformedPercentEscapesAreRefused(String body) {
        assertInvalidRequest(body, "percent-encoding");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%ff", "a=%c3", "a=%c3%28", "a=%80", "a=%ed%a0%80", "a=%f8%88%80%80%80", "a=%c0%af", "%ff=1"})
    void invalidUtf8IsRefused(String body) {
        assertInvalidRequest(body, "UTF-8");
    }

    @Test
    void invalidUtf8InRawBytesIsRefused() {
        byte[] body = {'a', '=', (byte) 0xC3, '('};
        assertThatThrownBy(() -> FormParameters.parse(body)).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.description()).contains("UTF-8"));
    }

    @Test
    void nulIsRefusedEncodedOrRaw() {
        assertInvalidRequest("client_id=a%00b", "NUL");
        assertThatThrownBy(() -> FormParameters.parse(new byte[] {'a', '=', 0})).isInstanceOf(OAuthException.class);
    }
}
