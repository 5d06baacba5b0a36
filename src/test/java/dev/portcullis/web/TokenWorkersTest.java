package dev.portcullis.web;

import dev.portcullis.testing.AcmeTenant;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import io.javalin.http.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Token requests take turns, in arrival order, when more arrive than there are workers. */
class TokenWorkersTest {

    /** Waits (without a time limit: the test's own timeout applies) until {@code n} callers queue. */
    private static void awaitWaiting(TokenWorkers workers, int n) throws InterruptedException {
        while (workers.waiting() < n) {
            Thread.sleep(1);
        }
    }

    @Test
    void oneWorkerRunsOneRequestAtATimeAndTheWaitingOnesInArrivalOrder() throws Exception {
        TokenWorkers workers = new TokenWorkers(1);
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> first = threads.submit(() -> call(workers, ctx -> {
                order.add("first");
                firstInside.countDown();
                releaseFirst.await();
            }));
            firstInside.await();
            Future<?> second = threads.submit(() -> call(workers, ctx -> order.add("second")));
            awaitWaiting(workers, 1);
            Future<?> third = threads.submit(() -> call(workers, ctx -> order.add("third")));
            awaitWaiting(workers, 2);
            assertThat(order).as("nobody else runs while the one worker is busy").containsExactly("first");

            releaseFirst.countDown();
            first.get();
            second.get();
            third.get();
            assertThat(order).containsExactly("first", "second", "third");
            assertThat(workers.waiting()).isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFailingRequestGivesItsTurnBack() throws Exception {
        TokenWorkers workers = new TokenWorkers(1);
        Exception thrown = null;
        try {
            workers.admit(ctx -> {
                throw new IllegalStateException("boom");
            }).handle(null);
        } catch (IllegalStateException e) {
            thrown = e;
        }
        assertThat(thrown).hasMessage("boom");
        List<String> ran = new ArrayList<>();
        workers.admit(ctx -> ran.add("next")).handle(null);
        assertThat(ran).containsExactly("next");
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        TokenWorkers workers = new TokenWorkers(0);
        io.javalin.http.Handler handler = ctx -> { };
        assertThat(workers.admit(handler)).isSameAs(handler);
    }

    private interface Body {
        void run(Context ctx) throws Exception;
    }

    private static Void call(TokenWorkers workers, Body body) throws Exception {
        workers.admit(body::run).handle(null);
        return null;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withOneWorkerConcurrentTokenRequestsAllGetTheirTokens(StoreKind store) throws Exception {
        try (TestServer server = TestServer.start(store, AcmeTenant.YAML, Map.of("token_workers", "1"))) {
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                List<Future<HttpResponse<String>>> responses = new ArrayList<>();
                for (int i = 0; i < 48; i++) {
                    responses.add(clients.submit(() -> server.postForm(AcmeTenant.U, Map.of("grant_type", "client_credentials",
                            "client_id", AcmeTenant.APP_CLIENT, "client_secret", AcmeTenant.APP_SECRET, "scope", "app.read"))));
                }
                for (Future<HttpResponse<String>> response : responses) {
                    assertThat(response.get().statusCode()).isEqualTo(200);
                    assertThat(response.get().body()).contains("\"access_token\"");
                }
                // a refused request is answered as before, and gives its turn back
                HttpResponse<String> refused = server.postForm(AcmeTenant.U, Map.of("grant_type", "client_credentials",
                        "client_id", AcmeTenant.APP_CLIENT, "client_secret", "wrong-secret-0123456789abcdefghijk", "scope", "app.read"));
                assertThat(refused.statusCode()).isEqualTo(400);
                assertThat(refused.body()).contains("\"error\":\"invalid_client\"");
                assertThat(server.postForm(AcmeTenant.U, Map.of("grant_type", "client_credentials", "client_id",
                        AcmeTenant.APP_CLIENT, "client_secret", AcmeTenant.APP_SECRET, "scope", "app.read")).statusCode()).isEqualTo(200);
            } finally {
                clients.shutdownNow();
            }
        }
    }
}
