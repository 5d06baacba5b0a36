package dev.portcullis.exchange;

import dev.portcullis.net.NetworkAddresses;
import dev.portcullis.net.PinnedSslSocketFactory;
import dev.portcullis.net.SafeFetcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key and metadata fetches cannot be aimed at the server's own network: addresses are classified from
 * literals (no traffic), refused URLs fail before any connection, and TLS connections go to the
 * address that was checked. The only connections made here are to loopback.
 */
class OutboundFetchSafetyTest {

    private static InetAddress literal(String address) throws UnknownHostException {
        return InetAddress.getByName(address); // a literal: parsed, never looked up
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.2.10",
            "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "::", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
            "64:ff9b::a00:1", "2002:c0a8:101::1", "2001:db8::1"})
    void privateAndInternalAddressesAreRefusedUnlessTheRegistrationAllowsThem(String address) throws Exception {
        assertThat(NetworkAddresses.classify(literal(address))).isEqualTo(NetworkAddresses.Kind.PRIVATE);
        assertThat(NetworkAddresses.allowed(literal(address), false)).isFalse();
        assertThat(NetworkAddresses.allowed(literal(address), true)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"})
    void loopbackIsAlwaysAllowedForDevelopment(String address) throws Exception {
        assertThat(NetworkAddresses.classify(literal(address))).isEqualTo(NetworkAddresses.Kind.LOOPBACK);
        assertThat(NetworkAddresses.allowed(literal(address), false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1",
            "192.169.0.1", "2606:4700:4700::1111", "2a00:1450:4001::200e"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertThat(NetworkAddresses.classify(literal(address))).isEqualTo(NetworkAddresses.Kind.PUBLIC);
    }

    /**
     * The refusal after resolution, shown on loopback as every refusal test here is: with a policy that refuses
     * loopback as it refuses private addresses, the literal and a name that resolves to it are refused unsent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1:1/keys", "https://[::1]:1/keys", "https://localhost:1/keys"})
    void anAddressThePolicyRefusesIsRefusedBeforeAnyConnection(String url) {
        SafeFetcher strict = new SafeFetcher(new SafeFetcher.Policy(false, false, false, 1024, 1_000, 1_000, 2_000,
                "application/json", "(no switch allows it)"));
        assertThatThrownBy(() -> strict.fetch(URI.create(url).toURL()))
                .isInstanceOfSatisfying(SafeFetcher.FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(SafeFetcher.Reason.REFUSED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://host.invalid/keys", "ftp://127.0.0.1/keys", "file:///etc/passwd"})
    void anythingButHttpsIsRefusedExceptHttpToLoopback(String url) {
        assertThatThrownBy(() -> new ProviderFetcher(true).retrieveResource(URI.create(url).toURL()))
                .isInstanceOf(SafeFetcher.FetchException.class)
                .hasMessageContaining("only https");
    }

    @Test
    void registrationsRefuseInsecureUrlsAndSymmetricOrNoneAlgorithms() {
        assertThat(RegistrationRules.urlProblem("issuer", "http://idp.example.com")).hasValueSatisfying(p -> assertThat(p).contains("https"));
        assertThat(RegistrationRules.urlProblem("issuer", "https://idp.example.com/oauth2/default")).isEmpty();
        assertThat(RegistrationRules.urlProblem("issuer", "http://127.0.0.1:9000/idp")).isEmpty();
        assertThat(RegistrationRules.urlProblem("issuer", "http://localhost:9000/idp")).isEmpty();
        assertThat(RegistrationRules.algorithmsProblem(java.util.List.of("RS256", "HS256"))).hasValueSatisfying(p ->
                assertThat(p).contains("HS256").contains("never"));
        assertThat(RegistrationRules.algorithmsProblem(java.util.List.of("none"))).isPresent();
        assertThat(RegistrationRules.algorithmsProblem(IdentityProvider.DEFAULT_ALGORITHMS)).isEmpty();
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread responder = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    socket.getInputStream().read(new byte[1024]);
                    socket.getOutputStream().write(("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\n"
                            + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes());
                } catch (IOException ignored) {
                    // the test reads the outcome from the fetcher
                }
            });
            responder.start();
            assertThatThrownBy(() -> new ProviderFetcher(false).retrieveResource(
                    URI.create("http://127.0.0.1:" + server.getLocalPort() + "/jwks").toURL()))
                    .hasMessageContaining("302").hasMessageContaining("redirects are not followed");
            responder.join(5_000);
        }
    }

    @Test
    void aTlsConnectionGoesToThePinnedAddressWhateverTheHostName() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PinnedSslSocketFactory factory = new PinnedSslSocketFactory(
                    (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault(), InetAddress.getLoopbackAddress());
            try (Socket socket = factory.createSocket()) {
                // the name is never resolved: the socket connects to the checked loopback address
                socket.connect(InetSocketAddress.createUnresolved("keys.example.invalid", server.getLocalPort()), 2_000);
                try (Socket accepted = server.accept(); InputStream ignored = accepted.getInputStream()) {
                    assertThat(socket.getInetAddress()).isEqualTo(InetAddress.getLoopbackAddress());
                    assertThat(accepted.getInetAddress().isLoopbackAddress()).isTrue();
                }
            }
        }
    }
}
