package dev.portcullis.signin;

import dev.portcullis.store.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Slows password guessing, per account and per client address, in the database so every
 * instance sees the same counts. After a few failures each further attempt must wait a growing
 * delay; past a threshold the key is locked for {@link #LOCK_SECONDS}. Failures older than
 * {@link #WINDOW_SECONDS} are forgotten. A refused attempt never reaches the password check.
 */
public final class LoginThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    static final long WINDOW_SECONDS = 900;
    static final long LOCK_SECONDS = 900;

    /** How one kind of key is throttled: free failures, then doubling delays, then a lock. */
    record Policy(int freeFailures, int lockAfter) {
        long delayAfter(int failures) {
            if (failures >= lockAfter) {
                return LOCK_SECONDS;
            }
            if (failures <= freeFailures) {
                return 0;
            }
            return Math.min(60, 1L << Math.min(6, failures - freeFailures));
        }
    }

    static final Policy ACCOUNT = new Policy(3, 10);
    static final Policy ADDRESS = new Policy(20, 100);

    private final Sql sql;

    public LoginThrottle(Sql sql) {
        this.sql = sql;
    }

    /** Seconds to wait before the next attempt is allowed, if any. */
    public Optional<Long> retryAfter(String account, String address, long now) {
        long wait = Math.max(waitFor(accountKey(account), now), waitFor(addressKey(address), now));
        return wait > 0 ? Optional.of(wait) : Optional.empty();
    }

    public void recordFailure(String account, String address, long now) {
        int accountFailures = increment(accountKey(account), ACCOUNT, now);
        int addressFailures = increment(addressKey(address), ADDRESS, now);
        if (accountFailures >= ACCOUNT.lockAfter() || addressFailures >= ADDRESS.lockAfter()) {
            LOG.warn("login_locked account={} address={} account_failures={} address_failures={} lock_seconds={}",
                    safe(account), safe(address), accountFailures, addressFailures, LOCK_SECONDS);
        } else if (accountFailures > ACCOUNT.freeFailures() || addressFailures > ADDRESS.freeFailures()) {
            LOG.warn("login_throttled account={} address={} account_failures={} address_failures={}",
                    safe(account), safe(address), accountFailures, addressFailures);
        }
    }

    public void recordSuccess(String account) {
        sql.update("DELETE FROM login_failures WHERE throttle_key = ?", accountKey(account));
    }

    private long waitFor(String key, long now) {
        return sql.queryOne("SELECT next_allowed_at, first_failed_at FROM login_failures WHERE throttle_key = ?",
                        row -> now - row.getLong(2) > WINDOW_SECONDS && row.getLong(1) <= now ? 0L : Math.max(0, row.getLong(1) - now), key)
                .orElse(0L);
    }

    private int increment(String key, Policy policy, long now) {
        return sql.inTransaction(tx -> {
            int failures = tx.queryOne("SELECT failures, first_failed_at, next_allowed_at FROM login_failures WHERE throttle_key = ?",
                            row -> now - row.getLong(2) > WINDOW_SECONDS && row.getLong(3) <= now ? 0 : row.getInt(1), key)
                    .orElse(0) + 1;
            long nextAllowed = now + policy.delayAfter(failures);
            if (failures == 1) {
                tx.update("INSERT INTO login_failures (throttle_key, failures, first_failed_at, next_allowed_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (throttle_key) DO UPDATE SET failures = excluded.failures, "
                        + "first_failed_at = excluded.first_failed_at, next_allowed_at = excluded.next_allowed_at",
                        key, failures, now, nextAllowed);
            } else {
                tx.update("UPDATE login_failures SET failures = ?, next_allowed_at = ? WHERE throttle_key = ?", failures, nextAllowed, key);
            }
            return failures;
        });
    }

    private static String accountKey(String account) {
        return "account:" + account;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    private static String safe(String value) {
        return value.replaceAll("[\\p{Cntrl}\"\\\\ ]", "_");
    }
}
