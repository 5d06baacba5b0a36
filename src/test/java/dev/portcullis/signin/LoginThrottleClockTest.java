package dev.portcullis.signin;

import dev.portcullis.tenant.LoginThrottlePolicy;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attempts counted while no delay is due never refuse each other, whatever second each attempt read its clock in.
 * Under load, sign-ins from one address (every user behind a proxy or NAT) overlap: one reads the clock at 100,
 * another at 101 commits first, and the first then finds the counter stamped 101. That stamp only records the last
 * failure; found by ops/scenarios, where valid sign-ins through HAProxy got 429 without a single failed password.
 */
class LoginThrottleClockTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(SignInFixtures.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAttemptThatReadTheClockASecondEarlierIsNotRefused(StoreKind store) {
        LoginThrottle throttle = new LoginThrottle(SERVERS.get(store).database().sql(), new SecretKeySpec(new byte[32], "HmacSHA256"));
        LoginThrottlePolicy policy = LoginThrottlePolicy.DEFAULT;
        String address = "clock-" + store;
        long now = System.currentTimeMillis() / 1000;

        LoginThrottle.Attempt later = throttle.begin(policy, "T", "T-U:alice", address, now + 1);
        LoginThrottle.Attempt earlier = throttle.begin(policy, "T", "T-U:bob", address, now);

        assertThat(later.refused()).isFalse();
        assertThat(earlier.refused()).as("one failure of the address's 50 free ones is no reason to wait").isFalse();
        throttle.succeeded(later);
        throttle.succeeded(earlier);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDelayThatIsDueStillRefusesWhicheverClock(StoreKind store) {
        LoginThrottle throttle = new LoginThrottle(SERVERS.get(store).database().sql(), new SecretKeySpec(new byte[32], "HmacSHA256"));
        LoginThrottlePolicy policy = LoginThrottlePolicy.DEFAULT;
        String address = "delay-" + store;
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < policy.accountFreeFailures(); i++) {
            assertThat(throttle.begin(policy, "T", "T-U:carol", address, now).refused()).as("free failure %d", i + 1).isFalse();
        }

        assertThat(throttle.begin(policy, "T", "T-U:carol", address, now).refused()).as("the delay after the free failures").isTrue();
        assertThat(throttle.begin(policy, "T", "T-U:carol", address, now - 1).refused()).as("read a second earlier").isTrue();
    }
}
