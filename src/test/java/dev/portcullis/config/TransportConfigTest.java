package dev.portcullis.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which bind and public_url pairs start, and the management listener's settings. */
class TransportConfigTest {

    private static ServerConfig load(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put("PORTCULLIS_" + keyValues[i].toUpperCase(), keyValues[i + 1]);
        }
        return new ConfigLoader(env).load(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.10.0.3", "localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
    void plainHttpIsAcceptedOnALoopbackBind(String bind) {
        assertThat(load("bind", bind, "public_url", "http://" + "127.0.0.1:8080").bindsToLoopback()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "10.1.2.3", "192.168.0.7", "id.example.test", "128.0.0.1"})
    void plainHttpIsRefusedOnAnyOtherBind(String bind) {
        assertThatThrownBy(() -> load("bind", bind, "public_url", "http://id.example.test"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bind " + bind).hasMessageContaining("allow_insecure_http: true");
        assertThatThrownBy(() -> load("bind", bind)).as("the default public_url is http too")
                .isInstanceOf(ConfigException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.1.2.3"})
    void httpsOrAnExplicitOptInIsAcceptedOnAnyBind(String bind) {
        assertThat(load("bind", bind, "public_url", "https://id.example.test").allowInsecureHttp()).isFalse();
        assertThat(load("bind", bind, "allow_insecure_http", "true").allowInsecureHttp()).isTrue();
        assertThatThrownBy(() -> load("bind", bind, "allow_insecure_http", "yes"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allow_insecure_http must be true or false");
    }

    @Test
    void managementDefaultsToLoopbackPort9090AndMustNotShareThePublicPort() {
        ServerConfig defaults = load();
        assertThat(defaults.managementPort()).isEqualTo(9090);
        assertThat(defaults.managementBind()).isEqualTo("127.0.0.1");
        assertThat(load("management_port", "0", "management_bind", "0.0.0.0").managementBind()).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> load("port", "18000", "management_port", "18000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("management_port must differ from port");
        assertThatThrownBy(() -> load("management_port", "70000")).isInstanceOf(ConfigException.class);
    }

    @Test
    void fetchingClientMetadataDocumentsFromLoopbackIsOffAndOnlyForALoopbackBind() {
        assertThat(load().metadataDocumentsFromLoopback()).isFalse();
        assertThat(load("client_id_metadata_documents_allow_loopback", "true").metadataDocumentsFromLoopback()).isTrue();
        assertThatThrownBy(() -> load("bind", "0.0.0.0", "public_url", "https://id.example.test",
                "client_id_metadata_documents_allow_loopback", "true"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("client_id_metadata_documents_allow_loopback").hasMessageContaining("loopback");
    }
}
