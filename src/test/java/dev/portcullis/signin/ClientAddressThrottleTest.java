package dev.portcullis.signin;

import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.portcullis.signin.LoginThrottleTest.retryAfter;
import static dev.portcullis.signin.LoginThrottleTest.skipClient;
import static dev.portcullis.signin.LoginThrottleTest.tenantsWith;
import static dev.portcullis.signin.LoginThrottleTest.waitOutAccountDelays;
import static dev.portcullis.signin.LoginThrottleTest.waitOutAllDelays;
import static dev.portcullis.signin.SignInFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which address a sign-in attempt is throttled under, over real HTTP: the socket peer unless it
 * is a trusted proxy, then the nearest untrusted hop its headers name; IPv6 per /64. The test
 * client is always 127.0.0.1; the forwarded addresses are only header text from documentation ranges.
 */
class ClientAddressThrottleTest {

    /** Three free failures per address, so a test can use one up quickly. */
    private static final String SMALL_ADDRESS_ALLOWANCE = tenantsWith("{ account_free_failures: 2, address_free_failures: 3 }");

    private static TestServer behindProxy(StoreKind store, String tenants) {
        return TestServer.start(store, tenants, Map.of("trusted_proxies", "127.0.0.1/32, 10.0.0.0/8, 2001:db8:ffff::/48"));
    }

    private static HttpResponse<String> attempt(TestServer server, String account, String password, Map<String, String> headers) {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = browser.get(skipClient("a"));
        return browser.submit(page, Map.of("username", account, "password", password), headers);
    }

    /**
     * Uses up an address's free failures on accounts that do not exist, so no account limit is
     * involved, and goes on until its delay is 8 s: a 1 s delay could run out before the next request.
     */
    private static void exhaust(TestServer server, Map<String, String> headers) {
        for (int failure = 1; failure <= 6; failure++) {
            waitOutAllDelays(server);
            assertThat(attempt(server, "ghost" + failure, "guess", headers).statusCode()).as("failure %d", failure).isEqualTo(401);
        }
    }

    private static List<String> addressKeys(TestServer server) {
        return server.database().sql().query("SELECT throttle_key FROM login_failures WHERE throttle_key LIKE 'address:%' "
                + "ORDER BY throttle_key", row -> row.getString(1));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void behindATrustedProxyOneClientsFailuresDoNotThrottleAnother(StoreKind store) {
        try (TestServer server = behindProxy(store, SMALL_ADDRESS_ALLOWANCE)) {
            Map<String, String> guesser = Map.of("X-Forwarded-For", "203.0.113.7");
            exhaust(server, guesser);
            assertThat(retryAfter(attempt(server, "pb", PB_PASSWORD, guesser))).as("the guessing client waits").isPositive();

            HttpResponse<String> neighbour = attempt(server, "pb", PB_PASSWORD, Map.of("X-Forwarded-For", "203.0.113.8"));
            assertThat(neighbour.statusCode()).as("another client behind the same proxy signs in").isEqualTo(303);
            assertThat(addressKeys(server)).containsExactly("address:" + TENANT + ":203.0.113.7", "address:" + TENANT + ":203.0.113.8");
        }
    }

    @Test
    void withoutTrustedProxiesForwardingHeadersChangeNothing() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, SMALL_ADDRESS_ALLOWANCE)) {
            exhaust(server, Map.of("X-Forwarded-For", "203.0.113.7"));
            HttpResponse<String> forged = attempt(server, "pb", PB_PASSWORD,
                    Map.of("X-Forwarded-For", "203.0.113.99", "Forwarded", "for=203.0.113.98"));
            assertThat(retryAfter(forged)).as("a made-up header does not buy a fresh address").isPositive();
            assertThat(addressKeys(server)).containsExactly("address:" + TENANT + ":127.0.0.1");
        }
    }

    @Test
    void ipv6ClientsAreThrottledPerSlash64() {
        try (TestServer server = behindProxy(StoreKind.SQLITE, SMALL_ADDRESS_ALLOWANCE)) {
            exhaust(server, Map.of("X-Forwarded-For", "2001:db8:1:2::a"));
            HttpResponse<String> sameSubnet = attempt(server, "pb", PB_PASSWORD, Map.of("X-Forwarded-For", "2001:db8:1:2:ffff:eeee:dddd:b"));
            assertThat(retryAfter(sameSubnet)).as("another address in the same /64 is the same client").isPositive();
            HttpResponse<String> otherSubnet = attempt(server, "pb", PB_PASSWORD, Map.of("X-Forwarded-For", "2001:db8:1:3::a"));
            assertThat(otherSubnet.statusCode()).as("the next /64 is someone else").isEqualTo(303);
            assertThat(addressKeys(server)).containsExactly("address:" + TENANT + ":2001:db8:1:2::/64", "address:" + TENANT + ":2001:db8:1:3::/64");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aStrangerCannotKeepAUserOutFromAnotherAddress(StoreKind store) {
        try (TestServer server = behindProxy(store, YAML)) {
            Map<String, String> stranger = Map.of("X-Forwarded-For", "203.0.113.66");
            for (int failure = 1; failure <= 12; failure++) {
                waitOutAccountDelays(server);
                assertThat(attempt(server, "pa", "guess-" + failure, stranger).statusCode()).as("failure %d", failure).isEqualTo(401);
            }
            assertThat(retryAfter(attempt(server, "pa", "guess-13", stranger))).as("the stranger waits").isBetween(127L, 128L);

            HttpResponse<String> userFromHome = attempt(server, "pa", PA_PASSWORD, Map.of("X-Forwarded-For", "198.51.100.20"));
            assertThat(userFromHome.statusCode()).as("the user, from their own address, signs in at once").isEqualTo(303);
            assertThat(retryAfter(attempt(server, "pa", "guess-14", stranger))).as("and the stranger still waits").isPositive();
        }
    }

    @Test
    void garbageInForwardingHeadersFallsBackToTheNearestAddressKnownGood() {
        String overlong = "203.0.113.1, ".repeat(400) + "203.0.113.77";
        Map<Map<String, String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(Map.of("X-Forwarded-For", "203.0.113.9"), "203.0.113.9");
        cases.put(Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.9"), "203.0.113.9");
        cases.put(Map.of("X-Forwarded-For", "203.0.113.9, 10.1.2.3"), "203.0.113.9");
        cases.put(Map.of("X-Forwarded-For", "203.0.113.9, 2001:db8:ffff::1"), "203.0.113.9");
        cases.put(Map.of("X-Forwarded-For", "203.0.113.9:4711"), "203.0.113.9");
        cases.put(Map.of("X-Forwarded-For", "[2001:db8::1]:4711"), "2001:db8:0:0::/64");
        cases.put(Map.of("X-Forwarded-For", "::ffff:203.0.113.10"), "203.0.113.10");
        cases.put(Map.of("X-Forwarded-For", "unknown, 203.0.113.9"), "203.0.113.9");
        cases.put(Map.of("X-Forwarded-For", overlong), "203.0.113.77");
        for (String junk : List.of("unknown", "203.0.113.9, unknown", "_hidden", "proxy.example.com", "localhost", "1.2.3.4.5",
                "999.1.1.1", "[::1", "::1]:80", ":::::", "203.0.113.9:http", "0x7f.1", "2130706433", "", " , ,", "\"\"")) {
            cases.put(Map.of("X-Forwarded-For", junk), "127.0.0.1");
        }
        cases.put(Map.of("Forwarded", "for=203.0.113.43;proto=https;by=10.0.0.1"), "203.0.113.43");
        cases.put(Map.of("Forwarded", "for=\"[2001:db8:cafe::17]:4711\""), "2001:db8:cafe:0::/64");
        cases.put(Map.of("Forwarded", "For=\"203.0.113.43\", for=10.0.0.2"), "203.0.113.43");
        cases.put(Map.of("Forwarded", "for=\"203.0.113.43, for=203.0.113.44"), "203.0.113.44");
        cases.put(Map.of("Forwarded", "for=unknown"), "127.0.0.1");
        cases.put(Map.of("Forwarded", "for=\"_gazonk\""), "127.0.0.1");
        cases.put(Map.of("Forwarded", "proto=https"), "127.0.0.1");
        cases.put(Map.of("X-Forwarded-For", "203.0.113.50", "Forwarded", "for=203.0.113.51"), "203.0.113.50");

        try (TestServer server = behindProxy(StoreKind.SQLITE, YAML)) {
            int n = 0;
            for (Map.Entry<Map<String, String>, String> c : cases.entrySet()) {
                server.database().sql().update("DELETE FROM login_failures");
                HttpResponse<String> response = attempt(server, "nobody" + n++, "guess", c.getKey());
                assertThat(response.statusCode()).as("status for %s", c.getKey()).isEqualTo(401);
                assertThat(addressKeys(server)).as("address for %s", c.getKey()).containsExactly("address:" + TENANT + ":" + c.getValue());
            }
        }
    }

    @Test
    void trustedProxiesIsCheckedAtStart() {
        for (String bad : List.of("10.0.0.0/33", "proxy.internal", "10.1.2.3/8", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/8/8")) {
            assertThatThrownBy(() -> new ConfigLoader(Map.of("PORTCULLIS_TRUSTED_PROXIES", bad)).load(null))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageStartingWith("trusted_proxies must be a comma-separated list of CIDRs")
                    .hasMessageContaining(bad.split(",")[0].trim());
        }
        assertThatThrownBy(() -> new ConfigLoader(Map.of("PORTCULLIS_TRUSTED_PROXIES", "10.1.2.3/8")).load(null))
                .hasMessageContaining("did you mean 10.0.0.0/8?");
        assertThat(new ConfigLoader(Map.of("PORTCULLIS_TRUSTED_PROXIES", " 10.0.0.0/8, 2001:db8::/32,127.0.0.1 ,::1")).load(null)
                .toString()).contains("10.0.0.0/8", "2001:db8:0:0:0:0:0:0/32", "127.0.0.1/32", "0:0:0:0:0:0:0:1/128");
    }
}
