package dev.portcullis.identity;

import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.ReliabilityTenant.ALICE_PASSWORD;
import static dev.portcullis.testing.ReliabilityTenant.TOKEN;
import static dev.portcullis.testing.ReliabilityTenant.YAML;
import static dev.portcullis.testing.ReliabilityTenant.authorizePath;
import static dev.portcullis.testing.ReliabilityTenant.clientCredentials;
import static dev.portcullis.testing.ReliabilityTenant.onBehalfOf;
import static dev.portcullis.testing.ReliabilityTenant.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-ins past what password hashing can do are refused promptly with 503 and Retry-After, and the token
 * grants that hash nothing are still served while it is saturated.
 */
class SignInOverloadTest {

    private static final int ACCOUNTS = 16;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFloodOfSignInsIsRefusedPastTheHashQueueWhileTokenGrantsGoOn(StoreKind store) throws Exception {
        int signIns = 48;
        // few HTTP threads and a short hash queue: without the queue's bound the flood would hold every thread
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < ACCOUNTS; i++) {
            users.append("      - { id: \"flood-").append(i).append("\", username: flood").append(i)
                    .append(", password: \"").append(ALICE_PASSWORD).append("\" }\n");
        }
        // sign-ins spread over accounts: the login throttle counts attempts in flight on one account as failures
        String yaml = YAML.replace("    users:\n", "    users:\n" + users);
        try (TestServer server = TestServer.start(store, yaml, Map.of("http_threads", "16", "password_hash_queue", "3",
                "password_hash_max_wait_ms", "2000"))) {
            assertToken(post(server, TOKEN, clientCredentials()));
            assertToken(post(server, TOKEN, onBehalfOf("alice")));
            List<BrowserClient> browsers = new ArrayList<>();
            List<HttpResponse<String>> pages = new ArrayList<>();
            for (int i = 0; i < signIns; i++) {
                BrowserClient browser = new BrowserClient(server.baseUrl());
                browsers.add(browser);
                pages.add(browser.get(authorizePath("flood" + i)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(signIns);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<HttpResponse<String>>> posted = new ArrayList<>();
                for (int i = 0; i < signIns; i++) {
                    int n = i;
                    posted.add(pool.submit(() -> {
                        start.await();
                        return browsers.get(n).submit(pages.get(n), Map.of("username", "flood" + n % ACCOUNTS, "password", ALICE_PASSWORD));
                    }));
                }
                start.countDown();
                // while the flood is in flight, grants that need no password hash are issued
                List<Boolean> floodDoneBeforeTokens = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    assertToken(post(server, TOKEN, clientCredentials()));
                    assertToken(post(server, TOKEN, onBehalfOf("alice")));
                    floodDoneBeforeTokens.add(posted.stream().allMatch(Future::isDone));
                }
                List<HttpResponse<String>> answers = new ArrayList<>();
                for (Future<HttpResponse<String>> response : posted) {
                    answers.add(response.get());
                }
                // 429: the login throttle, which counts attempts in flight, may refuse one at a second's turn (retry in 1 s)
                assertThat(answers).extracting(HttpResponse::statusCode).as("signed in or asked to retry").isSubsetOf(303, 503, 429);
                List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() == 503).toList();
                assertThat(refused).as("the queue's bound refused part of the flood").isNotEmpty();
                assertThat(answers.stream().filter(r -> r.statusCode() == 303)).as("and let the rest sign in").isNotEmpty();
                refused.forEach(response -> assertThat(response.headers().firstValue("Retry-After")).isPresent());
                assertThat(refused).as("refused by the hash queue's bound").anySatisfy(response ->
                        assertThat(response.body()).contains("Sign-in is busy right now"));
                assertThat(floodDoneBeforeTokens.get(0)).as("the first token came while sign-ins were still in flight")
                        .isFalse();
            } finally {
                pool.shutdownNow();
            }
            assertThat(server.getManagement("/metrics").body()).contains("portcullis_password_hash_queue_limit 3.0")
                    .containsPattern("portcullis_password_hash_refused_total [1-9]");
        }
    }
}
