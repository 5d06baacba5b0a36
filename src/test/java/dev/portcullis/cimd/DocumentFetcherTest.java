package dev.portcullis.cimd;

import dev.portcullis.testing.LoopbackHttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static dev.portcullis.testing.LoopbackHttpsServer.respond;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every hardening point of the metadata document fetch, against an https server on loopback (the only address a
 * test may reach): the fetcher here is the production one with loopback allowed, as the test-only switch does, and
 * short time limits where a test waits for them.
 */
class DocumentFetcherTest {

    private static LoopbackHttpsServer server;
    private static DocumentFetcher fetcher;

    @BeforeAll
    static void start() {
        server = new LoopbackHttpsServer();
        fetcher = new DocumentFetcher(true, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ClientIdUrl url(String path) throws Exception {
        return ClientIdUrl.parse(server.url(path));
    }

    private static String document(String path) {
        return "{\"client_id\":\"" + server.url(path) + "\",\"client_name\":\"Loopback client\","
                + "\"redirect_uris\":[\"http://127.0.0.1/callback\"],\"unknown_member\":[1,2,3]}";
    }

    private static String failure(DocumentFetcher.Outcome outcome) {
        assertThat(outcome).isInstanceOf(DocumentFetcher.Outcome.Failed.class);
        return ((DocumentFetcher.Outcome.Failed) outcome).reason();
    }

    @Test
    void aDocumentServedAsJsonIsFetchedAndKeptForItsMaxAge() throws Exception {
        server.json("/good.json", document("/good.json"), "Cache-Control", "max-age=900");
        DocumentFetcher.Outcome outcome = fetcher.fetch(url("/good.json"));
        assertThat(outcome).isInstanceOf(DocumentFetcher.Outcome.Fetched.class);
        DocumentFetcher.Outcome.Fetched fetched = (DocumentFetcher.Outcome.Fetched) outcome;
        assertThat(fetched.document().clientName()).contains("Loopback client");
        assertThat(fetched.lifetime()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aMoreSpecificJsonTypeIsAccepted() throws Exception {
        server.on("/typed.json", respond(200, "application/oauth-client+json; charset=utf-8", document("/typed.json")));
        assertThat(fetcher.fetch(url("/typed.json"))).isInstanceOf(DocumentFetcher.Outcome.Fetched.class);
    }

    @Test
    void loopbackIsRefusedAfterResolutionUnlessTheSwitchAllowsItAndNothingIsSent() throws Exception {
        DocumentFetcher production = new DocumentFetcher(false, Clock.systemUTC());
        server.json("/refused.json", document("/refused.json"));
        assertThat(failure(production.fetch(url("/refused.json")))).contains("not public").doesNotContain("127.0.0.1");
        assertThat(failure(production.fetch(ClientIdUrl.parse(server.localhostUrl("/refused.json"))))).contains("not public");
        assertThat(server.hits("/refused.json")).isZero();
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        server.on("/moved.json", respond(302, null, "", "Location", server.url("/target.json")));
        server.json("/target.json", document("/moved.json"));
        assertThat(failure(fetcher.fetch(url("/moved.json")))).contains("HTTP 302").contains("not followed");
        assertThat(server.hits("/moved.json")).isEqualTo(1);
        assertThat(server.hits("/target.json")).isZero();
        server.on("/permanent.json", respond(308, null, "", "Location", server.url("/target.json")));
        assertThat(failure(fetcher.fetch(url("/permanent.json")))).contains("HTTP 308");
        assertThat(server.hits("/target.json")).isZero();
    }

    @Test
    void onlyA200IsADocument() throws Exception {
        assertThat(failure(fetcher.fetch(url("/missing.json")))).contains("HTTP 404").contains("not 200");
        server.on("/broken.json", respond(500, "application/json", document("/broken.json")));
        assertThat(failure(fetcher.fetch(url("/broken.json")))).contains("HTTP 500");
        server.on("/created.json", respond(201, "application/json", document("/created.json")));
        assertThat(failure(fetcher.fetch(url("/created.json")))).contains("HTTP 201");
    }

    @Test
    void anAnswerThatIsNotJsonIsRefused() throws Exception {
        server.on("/page.json", respond(200, "text/html", "<html><body>" + document("/page.json") + "</body></html>"));
        assertThat(failure(fetcher.fetch(url("/page.json")))).contains("'text/html'").contains("not as JSON");
        server.on("/plain.json", respond(200, "text/plain", document("/plain.json")));
        assertThat(failure(fetcher.fetch(url("/plain.json")))).contains("not as JSON");
        server.on("/untyped.json", respond(200, null, document("/untyped.json")));
        assertThat(failure(fetcher.fetch(url("/untyped.json")))).contains("no content type");
        server.on("/garbage.json", respond(200, "application/json", "this is not json"));
        assertThat(failure(fetcher.fetch(url("/garbage.json")))).contains("not valid JSON");
    }

    @Test
    void aDocumentLargerThanFiveKibIsRefusedWithOrWithoutAContentLength() throws Exception {
        String padded = document("/large.json").replace("}", ",\"padding\":\"" + "x".repeat(5 * 1024) + "\"}");
        server.json("/large.json", padded);
        assertThat(failure(fetcher.fetch(url("/large.json")))).contains("larger than 5 KiB");
        server.on("/chunked.json", LoopbackHttpsServer.chunked(64 * 1024));
        assertThat(failure(fetcher.fetch(url("/chunked.json")))).contains("larger than 5 KiB");
        String justFits = document("/fits.json").replace("}", ",\"p\":\"" + "x".repeat(5 * 1024 - document("/fits.json").length() - 7) + "\"}");
        assertThat(justFits.length()).isEqualTo(5 * 1024);
        server.json("/fits.json", justFits);
        assertThat(fetcher.fetch(url("/fits.json"))).isInstanceOf(DocumentFetcher.Outcome.Fetched.class);
    }

    @Test
    void aServerThatNeverAnswersOrTricklesIsGivenUpOn() throws Exception {
        DocumentFetcher impatient = new DocumentFetcher(DocumentFetcher.policy(true, 500, 500, 1_000), Clock.systemUTC());
        server.on("/silent.json", server.silent());
        assertThat(failure(impatient.fetch(url("/silent.json")))).contains("could not be fetched").contains("1 s");
        // a byte every 200 ms never trips the read limit: the limit on the whole answer stops it
        server.on("/trickle.json", server.trickle(200));
        assertThat(failure(impatient.fetch(url("/trickle.json")))).contains("could not be fetched");
        assertThat(server.hits("/trickle.json")).isEqualTo(1);
    }

    @Test
    void theProductionLimitsAreThoseDocumented() {
        assertThat(DocumentFetcher.MAX_BYTES).isEqualTo(5 * 1024);
        assertThat(DocumentFetcher.CONNECT_TIMEOUT_MILLIS).isEqualTo(2_000);
        assertThat(DocumentFetcher.TOTAL_TIMEOUT_MILLIS).isEqualTo(3_000);
        assertThat(fetcher.longestMillis()).isEqualTo(5_000);
    }
}
