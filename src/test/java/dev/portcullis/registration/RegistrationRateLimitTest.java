package dev.portcullis.registration;

import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.portcullis.registration.RegistrationFixtures.*;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Open registration writes a client per request, so one client address may register only so many clients a minute
 * with a tenant ({@code registration_requests_per_minute_per_address}): past it, 429 with {@code Retry-After} and
 * nothing written, while other tenants, and wrong initial access tokens counted alike, follow the same rule.
 */
class RegistrationRateLimitTest {

    private static int clientRows(TestServer server) {
        return server.database().sql().queryOne("SELECT COUNT(*) FROM clients", row -> row.getInt(1)).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAddressPastItsLimitIsRefusedWithNothingWritten(StoreKind store) {
        try (TestServer server = TestServer.start(store, YAML, Map.of("registration_requests_per_minute_per_address", "3"))) {
            for (int i = 0; i < 3; i++) {
                registered(register(server, OPEN, publicClient("Tool " + i, LOOPBACK_REDIRECT)));
            }
            int before = clientRows(server);

            HttpResponse<String> refused = register(server, OPEN, publicClient("One too many", LOOPBACK_REDIRECT));

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
            assertError(refused, 429, "temporarily_unavailable", "too many client registrations from this address for tenant DCROPEN");
            assertThat(clientRows(server)).isEqualTo(before);

            // the limit is per tenant: another tenant's registration from the same address goes ahead
            registered(register(server, FULL, publicClient("Elsewhere", LOOPBACK_REDIRECT)));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void wrongInitialAccessTokensSpendTheAllowanceToo(StoreKind store) {
        try (TestServer server = TestServer.start(store, YAML, Map.of("registration_requests_per_minute_per_address", "2"))) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> guess = register(server, WITH_TOKEN, publicClient("Guess", LOOPBACK_REDIRECT),
                        Map.of("Authorization", "Bearer wrong-token-" + i));
                assertThat(guess.statusCode()).isEqualTo(401);
            }

            HttpResponse<String> rightTokenTooLate = register(server, WITH_TOKEN, publicClient("Late", LOOPBACK_REDIRECT),
                    Map.of("Authorization", "Bearer " + INITIAL_ACCESS_TOKEN));

            assertThat(rightTokenTooLate.statusCode()).isEqualTo(429);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void byDefaultAnAddressRegistersTwentyClientsAMinute(StoreKind store) {
        try (TestServer server = TestServer.start(store, YAML)) {
            for (int i = 0; i < 20; i++) {
                registered(register(server, OPEN, publicClient("Tool " + i, LOOPBACK_REDIRECT)));
            }
            assertThat(register(server, OPEN, publicClient("Twenty-first", LOOPBACK_REDIRECT)).statusCode()).isEqualTo(429);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void zeroTurnsTheLimitOff(StoreKind store) {
        try (TestServer server = TestServer.start(store, YAML, Map.of("registration_requests_per_minute_per_address", "0"))) {
            for (int i = 0; i < 25; i++) {
                registered(register(server, OPEN, publicClient("Tool " + i, LOOPBACK_REDIRECT)));
            }
        }
    }
}
