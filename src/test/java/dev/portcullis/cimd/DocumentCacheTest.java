package dev.portcullis.cimd;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.portcullis.testing.LoopbackHttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.portcullis.testing.LoopbackHttpsServer.respond;
import static org.assertj.core.api.Assertions.assertThat;

/** One fetch per URL however many ask at once; documents kept for their lifetime, failures for ten seconds. */
class DocumentCacheTest {

    private static LoopbackHttpsServer server;

    /** A clock the cache's entries expire by, moved by hand. */
    private static final class ManualTicker implements Ticker {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }
    }

    @BeforeAll
    static void start() {
        server = new LoopbackHttpsServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String document(String path) {
        return "{\"client_id\":\"" + server.url(path) + "\",\"redirect_uris\":[\"https://client.example/cb\"]}";
    }

    private static ClientIdUrl url(String path) throws Exception {
        return ClientIdUrl.parse(server.url(path));
    }

    @Test
    void requestsForADocumentBeingFetchedWaitForThatOneFetch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        String body = document("/shared.json");
        server.on("/shared.json", exchange -> {
            release.await(10, TimeUnit.SECONDS);
            respond(200, "application/json", body).answer(exchange);
        });
        DocumentCache cache = new DocumentCache(new DocumentFetcher(true, Clock.systemUTC()));
        ExecutorService callers = Executors.newFixedThreadPool(10);
        try {
            CountDownLatch started = new CountDownLatch(10);
            List<Future<DocumentFetcher.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                outcomes.add(callers.submit(() -> {
                    started.countDown();
                    return cache.get(url("/shared.json"));
                }));
            }
            started.await(5, TimeUnit.SECONDS);
            while (server.hits("/shared.json") == 0) {
                Thread.sleep(10);
            }
            Thread.sleep(200); // every caller is waiting now: a second fetch would show as a second hit
            assertThat(outcomes).noneMatch(Future::isDone);
            release.countDown();
            for (Future<DocumentFetcher.Outcome> outcome : outcomes) {
                assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(DocumentFetcher.Outcome.Fetched.class);
            }
            assertThat(server.hits("/shared.json")).isEqualTo(1);
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void onlySoManyRequestsWaitForFetchesAndTheRestAreToldToTryAgainAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        String body = document("/held.json");
        server.on("/held.json", exchange -> {
            release.await(10, TimeUnit.SECONDS);
            respond(200, "application/json", body).answer(exchange);
        });
        DocumentCache cache = new DocumentCache(new DocumentFetcher(true, Clock.systemUTC()));
        int callers = DocumentCache.MAX_WAITING_REQUESTS + 4;
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            List<Future<DocumentFetcher.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                outcomes.add(threads.submit(() -> cache.get(url("/held.json"))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (outcomes.stream().filter(Future::isDone).count() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200); // the others wait for the held fetch: none of them may finish before it does
            List<Future<DocumentFetcher.Outcome>> refused = outcomes.stream().filter(Future::isDone).toList();
            assertThat(refused).hasSize(4);
            for (Future<DocumentFetcher.Outcome> outcome : refused) {
                assertThat(((DocumentFetcher.Outcome.Failed) outcome.get()).reason()).contains("try again");
            }
            release.countDown();
            for (Future<DocumentFetcher.Outcome> outcome : outcomes) {
                if (!refused.contains(outcome)) {
                    assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(DocumentFetcher.Outcome.Fetched.class);
                }
            }
            assertThat(server.hits("/held.json")).isEqualTo(1);
            // a refusal for being busy is not remembered, and the fetched document is answered without waiting
            assertThat(cache.get(url("/held.json"))).isInstanceOf(DocumentFetcher.Outcome.Fetched.class);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void aDocumentIsKeptForItsLifetimeThenFetchedAgain() throws Exception {
        server.json("/kept.json", document("/kept.json"), "Cache-Control", "max-age=120");
        ManualTicker ticker = new ManualTicker();
        DocumentCache cache = new DocumentCache(new DocumentFetcher(true, Clock.systemUTC()), ticker);
        assertThat(cache.get(url("/kept.json"))).isInstanceOf(DocumentFetcher.Outcome.Fetched.class);
        awaitLifetimeSet(cache, "/kept.json");
        ticker.advance(Duration.ofSeconds(119));
        assertThat(cache.get(url("/kept.json"))).isInstanceOf(DocumentFetcher.Outcome.Fetched.class);
        assertThat(server.hits("/kept.json")).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(2));
        assertThat(cache.get(url("/kept.json"))).isInstanceOf(DocumentFetcher.Outcome.Fetched.class);
        assertThat(server.hits("/kept.json")).isEqualTo(2);
    }

    @Test
    void aFailureIsKeptForTenSecondsSoARetryLoopCostsOneFetchAndAFixedDocumentIsSeenSoonAfter() throws Exception {
        server.on("/flaky.json", respond(503, "application/json", "{}"));
        ManualTicker ticker = new ManualTicker();
        DocumentCache cache = new DocumentCache(new DocumentFetcher(true, Clock.systemUTC()), ticker);
        for (int i = 0; i < 5; i++) {
            assertThat(cache.get(url("/flaky.json"))).isInstanceOf(DocumentFetcher.Outcome.Failed.class);
        }
        awaitLifetimeSet(cache, "/flaky.json");
        assertThat(server.hits("/flaky.json")).isEqualTo(1);
        server.json("/flaky.json", document("/flaky.json"));
        ticker.advance(DocumentCache.FAILURE_LIFETIME.minusSeconds(1));
        assertThat(cache.get(url("/flaky.json"))).isInstanceOf(DocumentFetcher.Outcome.Failed.class);
        ticker.advance(Duration.ofSeconds(2));
        assertThat(cache.get(url("/flaky.json"))).isInstanceOf(DocumentFetcher.Outcome.Fetched.class);
        assertThat(server.hits("/flaky.json")).isEqualTo(2);
    }

    /**
     * The cache sets an outcome's lifetime just after the waiting request is woken, reading the ticker then: moving
     * the ticker before that (it happened under CI load) would push the expiry out by the amount moved.
     */
    private static void awaitLifetimeSet(DocumentCache cache, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cache.keptFor(url(path)).isEmpty()) {
            assertThat(System.nanoTime()).as("the cache set the outcome's lifetime").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
