package dev.portcullis.store;

import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** Housekeeping deletes pushed authorization requests once they expire, and only then. */
class HousekeepingPushedRequestsTest {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void expiredPushedRequestsAreDeletedAndLiveOnesKept(StoreKind store) {
        try (TestServer server = TestServer.start(store, null)) {
            Sql sql = server.database().sql();
            long now = Clock.systemUTC().instant().getEpochSecond();
            String insert = "INSERT INTO pushed_authorization_requests (request_uri_hash, tenant_id, realm, client_id, parameters, "
                    + "created_at, expires_at) VALUES (?, 'T', 'U', 'c', 'client_id=c', ?, ?)";
            sql.update(insert, "expired", now - 120, now - 60);
            sql.update(insert, "live", now, now + 60);
            Housekeeping housekeeping = new Housekeeping(sql, Clock.systemUTC(), 3600, 86_400, 600);
            try {
                housekeeping.run();
            } finally {
                housekeeping.close();
            }
            assertThat(sql.query("SELECT request_uri_hash FROM pushed_authorization_requests", row -> row.getString(1)))
                    .containsExactly("live");
        }
    }
}
