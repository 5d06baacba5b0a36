package dev.portcullis.client;

import dev.portcullis.store.ConfigRevision;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import dev.portcullis.token.MasterKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.portcullis.testing.AcmeTenant.APP_CLIENT;
import static dev.portcullis.testing.AcmeTenant.APP_SECRET;
import static dev.portcullis.testing.AcmeTenant.U;
import static dev.portcullis.testing.AcmeTenant.YAML;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client secret hashes written as plain SHA-256 (before they were keyed under the master key) keep
 * working, and opening the database upgrades them in place to HMAC-SHA-256 without their secrets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientSecretUpgradeTest {

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stopServers() {
        servers.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void legacySha256HashesStillAuthenticateAndAreUpgradedInPlace(StoreKind store) {
        TestServer server = servers.get(store);
        var sql = server.database().sql();
        // what a database of an earlier release holds: the plain SHA-256 of the secret (a new one,
        // so that only a server that reloaded the row and matched it as SHA-256 can accept it)
        String secret = "legacy-secret-0123456789abcdefghijkl-" + store;
        String legacy = SecretHasher.storedHash(secret);
        sql.inTransaction(tx -> {
            tx.update("UPDATE client_secrets SET secret_hash = ?, hash_scheme = 'sha256' WHERE client_id = ?", legacy, APP_CLIENT);
            ConfigRevision.bump(tx);
            return null;
        });
        Map<String, String> request = form("grant_type", "client_credentials", "client_id", APP_CLIENT,
                "client_secret", secret, "scope", "app.read");
        assertEventually(() -> server.postForm(U, request), 200);

        ClientSecretHasher.open(MasterKey.decode(TestServer.MASTER_KEY), sql);

        List<String> schemes = sql.query("SELECT hash_scheme FROM client_secrets WHERE client_id = ?", row -> row.getString(1), APP_CLIENT);
        List<String> hashes = sql.query("SELECT secret_hash FROM client_secrets WHERE client_id = ?", row -> row.getString(1), APP_CLIENT);
        assertThat(schemes).containsOnly("hmac-sha256");
        assertThat(hashes).hasSize(1).doesNotContain(legacy)
                .containsExactly(SecretHasher.encode(TestServer.secretHasher().hash(secret)));
        // opening again changes nothing: a hash is never wrapped twice
        ClientSecretHasher.open(MasterKey.decode(TestServer.MASTER_KEY), sql);
        assertThat(sql.query("SELECT secret_hash FROM client_secrets WHERE client_id = ?", row -> row.getString(1), APP_CLIENT))
                .isEqualTo(hashes);

        assertEventually(() -> server.postForm(U, request), 200);
        Map<String, String> wrong = new java.util.HashMap<>(request);
        wrong.put("client_secret", APP_SECRET);
        assertError(server.postForm(U, wrong), 400, "invalid_client");
    }

    /** Servers drop their caches within cache_refresh_seconds (1 s in tests) of a change. */
    private static void assertEventually(Supplier<HttpResponse<String>> request, int status) {
        HttpResponse<String> last = null;
        for (int attempt = 0; attempt < 40; attempt++) {
            last = request.get();
            if (last.statusCode() == status) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        assertThat(last.statusCode()).as(last.body()).isEqualTo(status);
    }
}
