package dev.portcullis.tenant;

/**
 * How a tenant slows password guessing (the tenants file's {@code login_throttle}). A key that has
 * used its free failures waits 1 s before the next attempt, then 2 s, 4 s, ... up to its cap; it is
 * never locked outright. The account limits count failures on one account from one client
 * address; the address limits count failures from one address on any account, and on one
 * account from all addresses, so a stranger from one address cannot slow a user down elsewhere.
 * Counts are forgotten after {@code windowSeconds} without a failure.
 */
public record LoginThrottlePolicy(int accountFreeFailures, int accountMaxDelaySeconds, int addressFreeFailures,
                                  int addressMaxDelaySeconds, int windowSeconds) {

    public static final LoginThrottlePolicy DEFAULT = new LoginThrottlePolicy(5, 300, 50, 900, 900);

    /** The longest window a tenant may set; housekeeping keeps failure records this long. */
    public static final int LONGEST_WINDOW_SECONDS = 86_400;

    /** The wait after the {@code failures}-th counted failure of a key with these limits. */
    public static long delayAfter(int failures, int freeFailures, int maxDelaySeconds) {
        if (failures < freeFailures) {
            return 0;
        }
        int doublings = failures - freeFailures;
        return doublings >= 30 ? maxDelaySeconds : Math.min(maxDelaySeconds, 1L << doublings);
    }
}
