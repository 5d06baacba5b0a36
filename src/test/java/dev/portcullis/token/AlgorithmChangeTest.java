package dev.portcullis.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.admin.TenantsFileApplier;
import dev.portcullis.admin.TenantsFileParser;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import static dev.portcullis.token.SigningAlgorithmTest.introspect;
import static dev.portcullis.token.SigningAlgorithmTest.jwks;
import static dev.portcullis.token.SigningAlgorithmTest.token;
import static dev.portcullis.token.SigningAlgorithmTest.verifiedSubject;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changing a tenant's algorithm is a rotation: the new algorithm's key is published before it signs,
 * the old algorithm's key stays published until its last token has expired, then it is removed; the
 * tenant always has exactly one active key.
 */
class AlgorithmChangeTest {

    private static final String REALM = "ACME-U";
    private static final String YAML = SigningAlgorithmTest.tenants(List.of("ACME"), "").replace("    signing_alg: ACME\n", "");

    private static KeyLifecycle lifecycle(TestServer server) {
        return new KeyLifecycle(server.database().sql(),
                new SigningKeyFactory(MasterKey.decode(TestServer.MASTER_KEY), JWSAlgorithm.RS256), 1);
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static JWKSet jwksOf(TestServer server) {
        try {
            return jwks(server, REALM);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<String> statuses(TestServer server) {
        return server.database().sql().query("SELECT algorithm || ':' || status FROM signing_keys WHERE tenant_id = 'ACME' "
                + "ORDER BY created_at, kid", row -> row.getString(1));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rotatingToAnotherAlgorithmPublishesFirstSignsLaterAndRetiresTheOldKey(StoreKind store) throws Exception {
        try (TestServer server = TestServer.start(store, YAML)) {
            KeyLifecycle keys = lifecycle(server);
            SignedJWT before = token(server, REALM);
            assertThat(before.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            String oldKid = before.getHeader().getKeyID();

            KeyLifecycle.Rotation rotation = keys.rotateTo("ACME", JWSAlgorithm.ES256, 5, now());
            assertThat(rotation.created()).isTrue();
            String newKid = rotation.next().kid();
            await("the ES256 key in the JWKS", () -> jwksOf(server).getKeyByKeyId(newKid) != null);
            assertThat(jwksOf(server).getKeyByKeyId(newKid).getKeyType().getValue()).isEqualTo("EC");
            assertThat(token(server, REALM).getHeader().getKeyID()).as("still signing with the RS256 key").isEqualTo(oldKid);
            assertThat(statuses(server)).containsExactlyInAnyOrder("RS256:active", "ES256:next");

            await("ES256 tokens", () -> token(server, REALM).getHeader().getKeyID().equals(newKid));
            SignedJWT after = token(server, REALM);
            assertThat(after.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
            assertThat(statuses(server)).as("one active key per tenant").containsExactlyInAnyOrder("RS256:retiring", "ES256:active");
            assertThat(verifiedSubject(before, jwksOf(server), JWSAlgorithm.RS256)).as("an RS256 token still verifies").isEqualTo("app");
            assertThat(verifiedSubject(after, jwksOf(server), JWSAlgorithm.ES256)).isEqualTo("app");
            assertThat(introspect(server, REALM, before).path("active").asBoolean()).isTrue();
            assertThat(introspect(server, REALM, after).path("active").asBoolean()).isTrue();
            assertThat(server.database().sql().queryOne("SELECT signing_alg FROM tenants WHERE id = 'ACME'", row -> row.getString(1)))
                    .contains("ES256");

            long retiresAt = keys.list("ACME").stream().filter(k -> k.kid().equals(oldKid)).findFirst().orElseThrow()
                    .retiresAt().orElseThrow();
            assertThat(retiresAt).as("the tenant's tokens live 3,600 s, plus skew").isGreaterThanOrEqualTo(now() + 3_600);
            keys.runScheduled(retiresAt);
            await("the RS256 key gone from the JWKS", () -> jwksOf(server).getKeyByKeyId(oldKid) == null);
            assertThat(introspect(server, REALM, before).path("active").asBoolean()).as("its key is gone").isFalse();
            assertThat(statuses(server)).containsExactlyInAnyOrder("ES256:active");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTenantsFilesNewAlgorithmStartsARotationAndALaterChoiceReplacesTheWaitingKey(StoreKind store) throws Exception {
        try (TestServer server = TestServer.start(store, YAML)) {
            String oldKid = token(server, REALM).getHeader().getKeyID();
            new TenantsFileApplier(server.database().sql(), TestServer.secretHasher(), Clock.systemUTC())
                    .apply(TenantsFileParser.parse(YAML.replace("name: Signs with ACME\n", "name: Signs with ACME\n    signing_alg: EdDSA\n"),
                            "tenants.yaml"));
            await("an Ed25519 key published after the next token", () -> {
                token(server, REALM);
                return jwksOf(server).getKeys().stream().anyMatch(key -> key.getKeyType().getValue().equals("OKP"));
            });
            assertThat(token(server, REALM).getHeader().getKeyID()).as("RS256 signs during pre-publication").isEqualTo(oldKid);
            StoredKeyCheck.activatesWithin(lifecycle(server), "EdDSA", now() + KeyLifecycle.prepublication(1) - 5,
                    now() + KeyLifecycle.prepublication(1) + 1);

            // a choice made while a key of another algorithm waits: that key never signed, so it is replaced
            String psKid = lifecycle(server).rotateTo("ACME", JWSAlgorithm.PS256, 2, now()).next().kid();
            await("PS256 tokens", () -> token(server, REALM).getHeader().getKeyID().equals(psKid));
            JWKSet published = jwksOf(server);
            assertThat(published.getKeys()).extracting(JWK::getKeyID).containsExactlyInAnyOrder(psKid, oldKid);
            assertThat(statuses(server)).containsExactlyInAnyOrder("RS256:retiring", "PS256:active");
        }
    }

    private static final class StoredKeyCheck {
        static void activatesWithin(KeyLifecycle keys, String algorithm, long from, long to) {
            assertThat(keys.list("ACME")).filteredOn(key -> key.algorithm().equals(algorithm)).singleElement()
                    .satisfies(key -> {
                        assertThat(key.status()).isEqualTo("next");
                        assertThat(key.activatesAt().orElseThrow()).isBetween(from, to);
                    });
        }
    }
}
