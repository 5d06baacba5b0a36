package dev.portcullis.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import dev.portcullis.testing.FuzzSeeds;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any body the token, PAR, registration and sign-in endpoints may be sent: it decodes to parameters within every
 * limit, or is refused with invalid_request. Any other exception is a finding. The normal build replays the seeds
 * in FormParametersFuzzTestInputs; ops/fuzz fuzzes.
 */
class FormParametersFuzzTest {

    @FuzzTest
    void formBody(byte[] body) {
        FormParameters form;
        try {
            form = FormParameters.parse(body);
        } catch (OAuthException refused) {
            assertThat(refused.error()).isEqualTo(OAuthError.INVALID_REQUEST);
            assertThat(refused.status()).isEqualTo(400);
            return;
        }
        assertThat(form.names()).hasSizeLessThanOrEqualTo(ParameterLimits.COUNT);
        for (Map.Entry<String, String> parameter : form.asMap().entrySet()) {
            assertThat(parameter.getKey()).isNotEmpty().hasSizeLessThanOrEqualTo(ParameterLimits.NAME);
            assertThat(parameter.getValue()).isNotEmpty().hasSizeLessThanOrEqualTo(ParameterLimits.limitOf(parameter.getKey()))
                    .doesNotContain("\0");
            assertThat(form.require(parameter.getKey())).isEqualTo(parameter.getValue());
        }
        List<String> resources = form.all(FormParameters.RESOURCE);
        assertThat(resources).hasSizeLessThanOrEqualTo(FormParameters.MAX_RESOURCES).doesNotContain("");
        assertThat(form.get(FormParameters.RESOURCE)).isEqualTo(resources.stream().findFirst());
        resources.forEach(resource -> assertThat(resource).hasSizeLessThanOrEqualTo(ParameterLimits.URI));
    }

    /** The seeds are requests the server serves, so fuzzing starts from inputs that get past decoding. */
    @Test
    void theSeedsDecode() {
        assertThat(FormParameters.parse(seed("client-credentials")).names()).containsExactly("grant_type", "client_id",
                "client_secret", "scope");
        assertThat(FormParameters.parse(seed("resources")).all(FormParameters.RESOURCE)).hasSize(2);
        assertThat(FormParameters.parse(seed("login-form")).require("password")).isEqualTo("p\u00e4ssw\u00f6rd with spaces");
        formBody(seed("introspection"));
    }

    private static byte[] seed(String name) {
        return FuzzSeeds.read(FormParametersFuzzTest.class, "formBody", name);
    }
}
