package dev.portcullis.store;

import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Housekeeping deletes the DPoP proofs whose iat window has passed, and keeps those that could still be replayed. */
class HousekeepingDpopTest {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void spentProofsAreDeletedOnceTheyExpire(StoreKind store) {
        try (TestServer server = TestServer.start(store, "tenants: []\n")) {
            Sql sql = server.database().sql();
            Instant now = Instant.parse("2026-06-01T12:00:00Z");
            sql.update("INSERT INTO dpop_proofs (proof_hash, expires_at) VALUES (?, ?)", "expired", now.getEpochSecond() - 1);
            sql.update("INSERT INTO dpop_proofs (proof_hash, expires_at) VALUES (?, ?)", "live", now.getEpochSecond() + 100);
            try (Housekeeping housekeeping = new Housekeeping(sql, Clock.fixed(now, ZoneOffset.UTC), 1800, 43_200, 600)) {
                housekeeping.run();
            }
            assertThat(sql.query("SELECT proof_hash FROM dpop_proofs", row -> row.getString(1))).containsExactly("live");
        }
    }
}
