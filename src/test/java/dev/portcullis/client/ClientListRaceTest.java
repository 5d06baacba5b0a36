package dev.portcullis.client;

import dev.portcullis.store.Sql;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listing a tenant's clients while clients are deleted (RFC 7592 lets a registered client delete itself at any time)
 * lists those still there and never fails. Found by ops/random-requests: metadata and CORS preflights, which list the
 * clients, answered 500 when a deletion fell between reading the ids and reading each client.
 */
class ClientListRaceTest {

    private static final int CLIENTS = 60;

    private static String tenantWithClients() {
        StringBuilder yaml = new StringBuilder("tenants:\n  - id: RACE\n    name: Race\n    scopes:\n"
                + "      - { name: race.read, kind: delegated }\n    clients:\n");
        for (int i = 0; i < CLIENTS; i++) {
            yaml.append("      - { client_id: c").append(i).append(", name: C").append(i)
                    .append(", platform: spa, scopes: [ race.read ], redirect_uris: [ \"http://127.0.0.1:9999/cb\" ] }\n");
        }
        return yaml.toString();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void clientsDeletedWhileListedAreLeftOutWithoutAFailure(StoreKind store) throws Exception {
        try (TestServer server = TestServer.start(store, tenantWithClients())) {
            Sql sql = server.database().sql();
            ClientRepository clients = new ClientRepository(sql);
            assertThat(clients.list("RACE")).hasSize(CLIENTS);
            AtomicBoolean deleting = new AtomicBoolean(true);
            Thread deleter = new Thread(() -> {
                for (int i = 0; i < CLIENTS; i++) {
                    String id = "c" + i;
                    sql.inTransaction(tx -> clients.delete(tx, "RACE", id));
                }
                deleting.set(false);
            });
            List<Throwable> failures = new ArrayList<>();
            int lists = 0;
            deleter.start();
            while (deleting.get()) {
                try {
                    List<ClientApplication> listed = clients.list("RACE");
                    assertThat(listed).allSatisfy(client -> assertThat(client.tenantId()).isEqualTo("RACE"));
                } catch (RuntimeException e) {
                    failures.add(e);
                }
                lists++;
            }
            deleter.join();

            assertThat(failures).as("failures over %d listings during the deletions", lists).isEmpty();
            assertThat(clients.list("RACE")).isEmpty();
        }
    }
}
