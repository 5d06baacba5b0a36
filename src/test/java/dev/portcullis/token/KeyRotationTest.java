package dev.portcullis.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import static dev.portcullis.testing.AcmeTenant.APP_CLIENT;
import static dev.portcullis.testing.AcmeTenant.APP_SECRET;
import static dev.portcullis.testing.AcmeTenant.U;
import static dev.portcullis.testing.AcmeTenant.YAML;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing-key rotation on a running server: a new key is published before it signs, the old one
 * stays published until its last token has expired, a resource server with a cached JWKS never
 * meets a token it cannot verify across two instances, and the scheduled rotation happens once.
 */
class KeyRotationTest {

    private static final String TENANT = "ACME";
    private static final String JWKS = "/system/auth/ACME-U/oauth2/jwks";

    private static KeyLifecycle lifecycle(TestServer server) {
        return new KeyLifecycle(server.database().sql(),
                new SigningKeyFactory(MasterKey.decode(TestServer.MASTER_KEY), JWSAlgorithm.RS256), 1);
    }

    private static SignedJWT token(TestServer server) {
        return assertToken(server.postForm(U, form("grant_type", "client_credentials", "client_id", APP_CLIENT,
                "client_secret", APP_SECRET, "scope", "app.read")));
    }

    private static JWKSet jwks(TestServer server) {
        try {
            return JWKSet.parse(server.get(JWKS).body());
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> kids(JWKSet set) {
        Set<String> kids = new LinkedHashSet<>();
        set.getKeys().forEach(key -> kids.add(key.getKeyID()));
        return kids;
    }

    /** What a resource server does with a token: find its kid in the JWKS it holds and check the signature. */
    private static boolean verifies(SignedJWT token, JWKSet set) {
        JWK key = set.getKeyByKeyId(token.getHeader().getKeyID());
        try {
            return key != null && token.verify(new RSASSAVerifier((RSAKey) key));
        } catch (com.nimbusds.jose.JOSEException e) {
            return false;
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aNewKeyIsPublishedBeforeItSignsAndTheOldOneUntilItsLastTokenExpires(StoreKind store) throws Exception {
        try (TestServer server = TestServer.start(store, YAML)) {
            KeyLifecycle keys = lifecycle(server);
            SignedJWT before = token(server);
            String oldKid = before.getHeader().getKeyID();

            String newKid = keys.rotate(TENANT, 5, now()).next().kid();
            await("the new key in the JWKS", () -> kids(jwks(server)).contains(newKid));
            assertThat(token(server).getHeader().getKeyID()).as("still signing with the old key").isEqualTo(oldKid);

            await("tokens signed with the new key", () -> token(server).getHeader().getKeyID().equals(newKid));
            assertThat(kids(jwks(server))).contains(oldKid, newKid);
            assertThat(verifies(before, jwks(server))).as("a token of the old key still verifies").isTrue();

            // the tenant's tokens live at most 1,800 s (app-client's 600 s): the old key waits that long, plus skew
            keys.runScheduled(now());
            assertThat(kids(jwks(server))).contains(oldKid);
            StoredKeyView retiring = StoredKeyView.of(keys, oldKid);
            assertThat(retiring.status()).isEqualTo("retiring");
            assertThat(retiring.retiresAt()).isBetween(now() + 1_800, now() + 1_800 + KeyLifecycle.CLOCK_SKEW_SECONDS + 10);

            keys.runScheduled(retiring.retiresAt());
            await("the retired key gone from the JWKS", () -> !kids(jwks(server)).contains(oldKid));
            assertThat(verifies(token(server), jwks(server))).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void twoInstancesNeverIssueATokenThatACachedJwksCannotVerify(StoreKind store) throws Exception {
        try (TestServer first = TestServer.start(store, YAML); TestServer second = TestServer.secondInstance(first)) {
            KeyLifecycle keys = lifecycle(first);
            // the resource server keeps the JWKS for 3 s; the key is published 3 s + 1 s (cache_refresh_seconds) + 1 s before it signs
            CachedJwks resourceServer = new CachedJwks(first, 3);
            token(first);
            resourceServer.get();
            String newKid = keys.rotate(TENANT, 5, now()).next().kid();
            Result result = issueAndVerify(List.of(first, second), resourceServer, 9);
            assertThat(result.failures()).as("tokens the cached JWKS could not verify").isZero();
            assertThat(result.kids()).as("the rotation happened during the run").contains(newKid).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "SQLITE")
    void withoutPrePublicationACachedJwksMissesTheNewKey(StoreKind store) throws Exception {
        // the control of the test above: the same run, with a key that signs as soon as it is published
        try (TestServer first = TestServer.start(store, YAML); TestServer second = TestServer.secondInstance(first)) {
            CachedJwks resourceServer = new CachedJwks(first, 3);
            token(first);
            resourceServer.get();
            lifecycle(first).rotate(TENANT, 0, now());
            assertThat(issueAndVerify(List.of(first, second), resourceServer, 4).failures()).isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theScheduledRotationRunsOnceWhenSeveralInstancesRunItTogether(StoreKind store) throws Exception {
        try (TestServer first = TestServer.start(store, YAML); TestServer second = TestServer.secondInstance(first)) {
            String kid = token(first).getHeader().getKeyID();
            var sql = first.database().sql();
            // the default period is 90 days: an 89-day-old key is not due, a 91-day-old one is
            sql.update("UPDATE signing_keys SET created_at = ? WHERE kid = ?", now() - 89 * 86_400L, kid);
            lifecycle(first).runScheduled(now());
            assertThat(sql.query("SELECT kid FROM signing_keys WHERE status = 'next'", row -> row.getString(1))).isEmpty();

            sql.update("UPDATE signing_keys SET created_at = ? WHERE kid = ?", now() - 91 * 86_400L, kid);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Object>> runs = List.of(first, second, first, second).stream()
                        .map(server -> (Callable<Object>) () -> {
                            lifecycle(server).runScheduled(now());
                            return null;
                        }).toList();
                for (Future<Object> run : pool.invokeAll(runs)) {
                    run.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(sql.query("SELECT kid FROM signing_keys WHERE status = 'next'", row -> row.getString(1))).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "POSTGRES")
    void aTenantSetsItsOwnRotationPeriod(StoreKind store) throws Exception {
        try (TestServer server = TestServer.start(store, YAML.replace("name: Acme\n", "name: Acme\n    signing_key_rotation_days: 30\n"))) {
            String kid = token(server).getHeader().getKeyID();
            var sql = server.database().sql();
            assertThat(sql.queryOne("SELECT signing_key_rotation_days FROM tenants WHERE id = 'ACME'", row -> row.getInt(1)))
                    .contains(30);
            sql.update("UPDATE signing_keys SET created_at = ? WHERE kid = ?", now() - 31 * 86_400L, kid);
            lifecycle(server).runScheduled(now());
            assertThat(sql.query("SELECT kid FROM signing_keys WHERE status = 'next'", row -> row.getString(1))).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "SQLITE")
    void aReplacedKeyOutlivesAnonymousCustomersTokensToo(StoreKind store) throws Exception {
        String yaml = YAML.replace("name: Acme\n", "name: Acme\n    anonymous_customers: { scopes: [ deleg.read ], access_token_ttl: 7200 }\n");
        try (TestServer server = TestServer.start(store, yaml)) {
            String oldKid = token(server).getHeader().getKeyID();
            lifecycle(server).rotate(TENANT, 0, now());
            await("the old key replaced", () -> !token(server).getHeader().getKeyID().equals(oldKid));
            // anonymous customers' tokens live 7,200 s, longer than the tenant's 1,800 s and every client's
            assertThat(StoredKeyView.of(lifecycle(server), oldKid).retiresAt()).isGreaterThanOrEqualTo(now() + 7_200);
        }
    }

    private record Result(int failures, Set<String> kids) {
    }

    /** Issues tokens from each instance in turn for {@code seconds} and verifies each with the resource server's JWKS. */
    private static Result issueAndVerify(List<TestServer> instances, CachedJwks resourceServer, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int failures = 0;
        Set<String> kids = new LinkedHashSet<>();
        for (int i = 0; System.nanoTime() < end; i++) {
            SignedJWT token = token(instances.get(i % instances.size()));
            kids.add(token.getHeader().getKeyID());
            if (!verifies(token, resourceServer.get())) {
                failures++;
            }
            Thread.sleep(50);
        }
        return new Result(failures, kids);
    }

    /** A resource server's JWKS cache that refetches only when its lifetime has passed, as a strict client does. */
    private static final class CachedJwks {
        private final TestServer server;
        private final long lifetimeNanos;
        private JWKSet cached;
        private long fetchedAt;

        CachedJwks(TestServer server, int lifetimeSeconds) {
            this.server = server;
            this.lifetimeNanos = lifetimeSeconds * 1_000_000_000L;
        }

        JWKSet get() {
            if (cached == null || System.nanoTime() - fetchedAt >= lifetimeNanos) {
                cached = jwks(server);
                fetchedAt = System.nanoTime();
            }
            return cached;
        }
    }

    /** One key's lifecycle fields, read through the lifecycle's own listing. */
    private record StoredKeyView(String status, long retiresAt) {
        static StoredKeyView of(KeyLifecycle keys, String kid) {
            var key = keys.list(TENANT).stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow();
            return new StoredKeyView(key.status(), key.retiresAt().orElse(-1));
        }
    }
}
