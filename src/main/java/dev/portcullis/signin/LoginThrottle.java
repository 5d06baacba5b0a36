package dev.portcullis.signin;

import dev.portcullis.store.Sql;
import dev.portcullis.tenant.LoginThrottlePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Slows password guessing with counters in the database, so every instance sees the same counts.
 * Each attempt is counted before its password is checked, in one statement per counter that
 * also refuses it while the counter's delay runs: a concurrent burst cannot slip past together.
 * A success clears the account's counters; the policy is the tenant's {@link LoginThrottlePolicy}.
 */
public final class LoginThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    /** One attempt's counters, in the fixed order they are taken (which keeps PostgreSQL row locks deadlock-free). */
    public record Attempt(String addressKey, String accountFromAddressKey, String accountKey, long retryAfter) {
        public boolean refused() {
            return retryAfter > 0;
        }

        List<String> keys() {
            return List.of(addressKey, accountFromAddressKey, accountKey);
        }
    }

    private record Counter(String key, int freeFailures, int maxDelaySeconds) {
    }

    /** Thrown inside the transaction to roll back the counts already taken for a refused attempt. */
    private static final class Refused extends RuntimeException {
        Refused() {
            super(null, null, false, false);
        }
    }

    private final Sql sql;
    private final SecretKey logKey;

    /** {@code logKey} keys the hash that stands for an account in logs, so a typed password never appears there in any form. */
    public LoginThrottle(Sql sql, SecretKey logKey) {
        this.sql = sql;
        this.logKey = logKey;
    }

    /**
     * Counts an attempt on {@code account} (realm and identifier) from {@code address} (a throttle
     * key, see {@code ClientAddress}), or refuses it with the seconds to wait and counts nothing.
     */
    public Attempt begin(LoginThrottlePolicy policy, String tenantId, String account, String address, long now) {
        Attempt attempt = new Attempt("address:" + tenantId + ":" + address, "account:" + account + "@" + address,
                "account:" + account, 0);
        List<Counter> counters = List.of(
                new Counter(attempt.addressKey(), policy.addressFreeFailures(), policy.addressMaxDelaySeconds()),
                new Counter(attempt.accountFromAddressKey(), policy.accountFreeFailures(), policy.accountMaxDelaySeconds()),
                new Counter(attempt.accountKey(), policy.addressFreeFailures(), policy.accountMaxDelaySeconds()));
        List<Integer> counts;
        try {
            counts = sql.inTransaction(tx -> {
                List<Integer> taken = new ArrayList<>();
                for (Counter counter : counters) {
                    tx.update("DELETE FROM login_failures WHERE throttle_key = ? AND next_allowed_at <= ?",
                            counter.key(), now - policy.windowSeconds());
                    taken.add(tx.queryOne(countSql(counter), row -> row.getInt(1), counter.key(), now,
                            now + LoginThrottlePolicy.delayAfter(1, counter.freeFailures(), counter.maxDelaySeconds()), now, now)
                            .orElseThrow(Refused::new));
                }
                return taken;
            });
        } catch (Refused refused) {
            long until = sql.queryOne("SELECT MAX(next_allowed_at) FROM login_failures WHERE throttle_key IN (?, ?, ?)",
                    row -> row.getLong(1), attempt.keys().toArray()).orElse(now + 1);
            return new Attempt(attempt.addressKey(), attempt.accountFromAddressKey(), attempt.accountKey(), Math.max(1, until - now));
        }
        boolean delayed = false;
        for (int i = 0; i < counters.size(); i++) {
            delayed |= counts.get(i) >= counters.get(i).freeFailures();
        }
        if (delayed) {
            LOG.warn("login_throttled account={} address={} address_failures={} account_failures_from_address={} account_failures={}",
                    logName(account), address, counts.get(0), counts.get(1), counts.get(2));
        }
        return attempt;
    }

    /** The password was right: the account's counts start over; the address keeps its failures but not this attempt. */
    public void succeeded(Attempt attempt) {
        sql.update("DELETE FROM login_failures WHERE throttle_key IN (?, ?)", attempt.accountFromAddressKey(), attempt.accountKey());
        uncount(attempt.addressKey());
    }

    /** The password was never checked (the hasher was busy): the attempt counts against nobody. */
    public void abandoned(Attempt attempt) {
        attempt.keys().forEach(this::uncount);
    }

    private void uncount(String key) {
        sql.update("UPDATE login_failures SET failures = failures - 1 WHERE throttle_key = ? AND failures > 0", key);
    }

    /**
     * Adds one failure unless the key's delay still runs (then no row comes back), and sets the
     * next delay: none before the free failures are used, then 1 s doubling up to the cap. The
     * numbers come from the validated policy, so inlining them is safe; SET sees the old row.
     *
     * <p>A delay runs only on a row whose failures have used up the free ones. Below that, next_allowed_at
     * is just when the last failure was counted (for the window), and it may be a second ahead of this
     * attempt's clock: another attempt from the same address, on this instance or another, read its clock
     * later and committed first. Comparing the clocks alone refused valid sign-ins of everyone behind one
     * proxy under load.
     */
    private static String countSql(Counter counter) {
        int free = counter.freeFailures();
        int cap = counter.maxDelaySeconds();
        int doublingsToCap = 32 - Integer.numberOfLeadingZeros(cap - 1);
        String failures = "(login_failures.failures + 1)";
        return "INSERT INTO login_failures (throttle_key, failures, first_failed_at, next_allowed_at) VALUES (?, 1, ?, ?) "
                + "ON CONFLICT (throttle_key) DO UPDATE SET failures = " + failures + ", next_allowed_at = ? + CASE "
                + "WHEN " + failures + " < " + free + " THEN 0 "
                + "WHEN " + failures + " - " + free + " >= " + doublingsToCap + " THEN " + cap + " "
                + "ELSE 1 << (" + failures + " - " + free + ") END "
                + "WHERE login_failures.next_allowed_at <= ? OR login_failures.failures < " + free + " RETURNING failures";
    }

    /** A short keyed hash: the same account reads the same across log lines, and nothing typed can be read back. */
    String logName(String account) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(logKey);
            byte[] digest = mac.doFinal(account.getBytes(StandardCharsets.UTF_8));
            return "h:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
