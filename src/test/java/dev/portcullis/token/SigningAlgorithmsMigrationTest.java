package dev.portcullis.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import dev.portcullis.token.SigningKeyRepository.StoredKey;
import dev.portcullis.testing.TestServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V11 makes the key indexes per tenant. A server whose signing_alg was changed before it left a tenant an
 * active key of each algorithm: after the upgrade the newest signs, the other stays published until the
 * longest token lifetime has passed.
 */
class SigningAlgorithmsMigrationTest {

    @Test
    void aTenantWithAnActiveKeyOfEachAlgorithmKeepsTheNewestAndRetiresTheOther(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("upgraded.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("9").load().migrate();
        long now = Instant.now().getEpochSecond();
        SigningKeyFactory factory = new SigningKeyFactory(MasterKey.decode(TestServer.MASTER_KEY), JWSAlgorithm.RS256);
        StoredKey older = factory.generate("ACME", JWSAlgorithm.RS256, "active", now - 86_400, OptionalLong.empty());
        StoredKey newer = factory.generate("ACME", JWSAlgorithm.ES256, "active", now - 60, OptionalLong.empty());
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.createStatement().executeUpdate("INSERT INTO tenants (id, name, access_token_ttl, created_at, updated_at) "
                    + "VALUES ('ACME', 'Acme', 3600, 0, 0)");
            for (StoredKey key : new StoredKey[] {older, newer}) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO signing_keys (kid, tenant_id, algorithm, "
                        + "status, public_jwk, private_key_encrypted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, key.kid());
                    insert.setString(2, key.tenantId());
                    insert.setString(3, key.algorithm());
                    insert.setString(4, key.status());
                    insert.setString(5, key.publicJwk());
                    insert.setString(6, key.privateKeyEncrypted());
                    insert.setLong(7, key.createdAt());
                    insert.executeUpdate();
                }
            }
        }

        try (TestServer server = TestServer.startOnSqlite(file)) {
            var sql = server.database().sql();
            assertThat(sql.queryOne("SELECT status FROM signing_keys WHERE kid = ?", row -> row.getString(1), newer.kid())).contains("active");
            assertThat(sql.queryOne("SELECT status FROM signing_keys WHERE kid = ?", row -> row.getString(1), older.kid())).contains("retiring");
            JWKSet jwks = JWKSet.parse(server.get("/system/auth/ACME-U/oauth2/jwks").body());
            assertThat(jwks.getKeyByKeyId(older.kid())).as("the RS256 key may have signed tokens still in flight").isNotNull();

            new KeyLifecycle(sql, factory, 1).runScheduled(now);
            assertThat(sql.queryOne("SELECT retires_at FROM signing_keys WHERE kid = ?", row -> row.getLong(1), older.kid()))
                    .contains(now + KeyLifecycle.LONGEST_TOKEN_LIFETIME_SECONDS + KeyLifecycle.CLOCK_SKEW_SECONDS);
        }
    }
}
