package dev.portcullis.net;

import dev.portcullis.testing.LoopbackHttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static dev.portcullis.testing.LoopbackHttpsServer.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared fetcher's policy switches and the reason it gives for each failure, against https on loopback only. */
class SafeFetcherTest {

    private static LoopbackHttpsServer server;

    @BeforeAll
    static void start() {
        server = new LoopbackHttpsServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SafeFetcher fetcher(boolean allowLoopback, boolean httpToLoopback, int totalMillis) {
        return new SafeFetcher(new SafeFetcher.Policy(httpToLoopback, allowLoopback, false, 1024, 500, 500, totalMillis,
                "application/json", " (hint)"));
    }

    private static URL url(String value) throws Exception {
        return URI.create(value).toURL();
    }

    @Test
    void aDocumentComesWithItsHeadersLookedUpIgnoringCase() throws Exception {
        server.on("/doc", respond(200, "application/json", "{\"a\":1}", "Cache-Control", "max-age=60"));
        SafeFetcher.Response response = fetcher(true, false, 2_000).fetch(url(server.url("/doc")));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(response.header("cache-control")).contains("max-age=60");
        assertThat(response.header("CONTENT-TYPE")).contains("application/json");
    }

    @Test
    void loopbackIsRefusedWhenThePolicySaysSoBeforeAnyConnection() {
        assertThatThrownBy(() -> fetcher(false, false, 2_000).fetch(url(server.url("/doc"))))
                .isInstanceOfSatisfying(SafeFetcher.FetchException.class, e -> assertThat(e.reason()).isEqualTo(SafeFetcher.Reason.REFUSED))
                .hasMessageContaining("loopback address 127.0.0.1");
        assertThatThrownBy(() -> fetcher(false, false, 2_000).fetch(url(server.localhostUrl("/doc"))))
                .hasMessageContaining("loopback address");
        assertThat(server.hits("/never")).isZero();
    }

    @Test
    void plainHttpIsRefusedEvenToLoopbackUnlessThePolicyAllowsIt() {
        assertThatThrownBy(() -> fetcher(true, false, 2_000).fetch(url("http://127.0.0.1:" + server.port() + "/doc")))
                .isInstanceOfSatisfying(SafeFetcher.FetchException.class, e -> assertThat(e.reason()).isEqualTo(SafeFetcher.Reason.REFUSED))
                .hasMessageContaining("only https URLs are fetched")
                .hasMessageNotContaining("http only on a loopback host");
    }

    @Test
    void eachFailureSaysWhatWentWrong() {
        server.on("/moved", respond(301, null, "", "Location", server.url("/doc")));
        assertThatThrownBy(() -> fetcher(true, false, 2_000).fetch(url(server.url("/moved"))))
                .isInstanceOfSatisfying(SafeFetcher.FetchException.class, e -> assertThat(e.reason()).isEqualTo(SafeFetcher.Reason.REDIRECT));
        assertThatThrownBy(() -> fetcher(true, false, 2_000).fetch(url(server.url("/absent"))))
                .isInstanceOfSatisfying(SafeFetcher.FetchException.class, e -> assertThat(e.reason()).isEqualTo(SafeFetcher.Reason.STATUS))
                .hasMessageContaining("answered HTTP 404");
        server.on("/big", respond(200, "application/json", "x".repeat(1025)));
        assertThatThrownBy(() -> fetcher(true, false, 2_000).fetch(url(server.url("/big"))))
                .isInstanceOfSatisfying(SafeFetcher.FetchException.class, e -> assertThat(e.reason()).isEqualTo(SafeFetcher.Reason.TOO_LARGE))
                .hasMessageContaining("more than 1 KiB");
    }

    @Test
    void theLimitOnTheWholeAnswerStopsAServerThatTricklesUnderTheReadLimit() {
        server.on("/trickle", server.trickle(100));
        assertThatThrownBy(() -> fetcher(true, false, 800).fetch(url(server.url("/trickle"))))
                .isInstanceOfSatisfying(SafeFetcher.FetchException.class, e -> assertThat(e.reason()).isEqualTo(SafeFetcher.Reason.TIMEOUT))
                .hasMessageContaining("did not answer within 800 ms");
        server.on("/silent", server.silent());
        assertThatThrownBy(() -> fetcher(true, false, 5_000).fetch(url(server.url("/silent"))))
                .isInstanceOfSatisfying(SafeFetcher.FetchException.class, e -> assertThat(e.reason()).isEqualTo(SafeFetcher.Reason.TIMEOUT))
                .hasMessageContaining("timed out");
    }

    @Test
    void aCertificateForAnotherHostIsAFailedConnectionNotADocument() {
        // the certificate names localhost and 127.0.0.1 only
        try (LoopbackHttpsServer elsewhere = new LoopbackHttpsServer("127.0.0.2")) {
            elsewhere.on("/doc", respond(200, "application/json", "{}"));
            assertThatThrownBy(() -> fetcher(true, false, 2_000).fetch(url(elsewhere.url("/doc"))))
                    .isInstanceOfSatisfying(SafeFetcher.FetchException.class,
                            e -> assertThat(e.reason()).isEqualTo(SafeFetcher.Reason.UNREACHABLE))
                    .hasMessageContaining("SSLHandshakeException");
            assertThat(elsewhere.hits("/doc")).isZero();
        }
    }
}
