package dev.portcullis.admin;

import dev.portcullis.tenant.RealmType;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.portcullis.admin.TenantsFileTest.assertEventually;
import static dev.portcullis.testing.AcmeTenant.APP_CLIENT;
import static dev.portcullis.testing.AcmeTenant.APP_SECRET;
import static dev.portcullis.testing.AcmeTenant.BASIC_CLIENT;
import static dev.portcullis.testing.AcmeTenant.BASIC_SECRET;
import static dev.portcullis.testing.AcmeTenant.OBO_CLIENT;
import static dev.portcullis.testing.AcmeTenant.OBO_SECRET;
import static dev.portcullis.testing.AcmeTenant.U;
import static dev.portcullis.testing.AcmeTenant.YAML;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changes made through {@link AdminService} on the shared database (as the CLI in another process
 * does) reach a running server's caches within cache_refresh_seconds (1 s in the fixture).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminChangesReachRunningServerTest {

    private final ServersPerStore servers = new ServersPerStore(YAML);

    @AfterAll
    void stopServers() {
        servers.close();
    }

    private static AdminService admin(TestServer server) {
        return new AdminService(server.database().sql(), TestServer.secretHasher(), Clock.systemUTC());
    }

    private static Map<String, String> cc(String clientId, String secret) {
        return form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret, "scope", "app.read");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDisabledClientStopsWorkingWithinSecondsAndWorksAgainWhenEnabled(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        assertToken(server.postForm(U, cc(APP_CLIENT, APP_SECRET)));
        long start = System.nanoTime();
        admin(server).setClientEnabled("ACME", APP_CLIENT, false);
        assertEventually(() -> server.postForm(U, cc(APP_CLIENT, APP_SECRET)), 400, "invalid_client");
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms until refused").isLessThan(5_000);
        admin(server).setClientEnabled("ACME", APP_CLIENT, true);
        assertEventually(() -> server.postForm(U, cc(APP_CLIENT, APP_SECRET)), 200, null);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDisabledUserCanNoLongerBeActedFor(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        Map<String, String> onBehalf = form("grant_type", "password", "client_id", OBO_CLIENT, "client_secret", OBO_SECRET,
                "scope", "obo.read", "subject_userid", "1001");
        assertToken(server.postForm(U, onBehalf));
        admin(server).subjectAdmin().setSubjectEnabled("ACME", RealmType.USER, "1001", false);
        try {
            assertEventually(() -> server.postForm(U, onBehalf), 400, "invalid_grant");
        } finally {
            admin(server).subjectAdmin().setSubjectEnabled("ACME", RealmType.USER, "1001", true);
        }
        assertEventually(() -> server.postForm(U, onBehalf), 200, null);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAddedSecretWorksAndARemovedOneStopsWorking(StoreKind store) throws Exception {
        TestServer server = servers.get(store);
        assertToken(server.postForm(U, cc(BASIC_CLIENT, BASIC_SECRET)));
        String added = admin(server).addSecret("ACME", BASIC_CLIENT, Optional.empty(), OptionalLong.empty()).value();
        assertThat(added).hasSize(43);
        assertEventually(() -> server.postForm(U, cc(BASIC_CLIENT, added)), 200, null);

        String original = admin(server).clients("ACME").stream().filter(c -> c.clientId().equals(BASIC_CLIENT)).findFirst()
                .orElseThrow().secrets().stream()
                .filter(secret -> java.util.Arrays.equals(secret.hash(), TestServer.secretHasher().hash(BASIC_SECRET)))
                .findFirst().orElseThrow().id();
        admin(server).removeSecret("ACME", BASIC_CLIENT, original);
        assertEventually(() -> server.postForm(U, cc(BASIC_CLIENT, BASIC_SECRET)), 400, "invalid_client");
        assertToken(server.postForm(U, cc(BASIC_CLIENT, added)));
    }
}
