package dev.portcullis.egain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.Optional;

/**
 * Token buckets for the anonymous endpoint, one per tenant and client address and one per tenant,
 * each holding a minute's allowance and refilling smoothly. They live in this instance's memory:
 * with several instances behind a load balancer each one counts on its own, so the effective limits
 * are the configured ones times the number of instances.
 * <p>
 * Addresses are chosen by whoever sends the requests, so the address buckets are bounded: an idle
 * bucket is dropped after {@link #IDLE} (by then it has refilled, so nothing is forgotten), and past
 * {@link #MOST_ADDRESSES} the least useful ones go. A flood of distinct addresses can thus reset some
 * address buckets early, but never the tenant's, which still caps the total.
 */
final class AnonymousRateLimits {

    static final int MOST_ADDRESSES = 100_000;
    static final int MOST_TENANTS = 10_000;
    /** Longer than a bucket's full refill (one minute), so dropping an idle bucket forgives nothing early. */
    static final Duration IDLE = Duration.ofMinutes(2);

    private record AddressKey(String tenantId, String address, int perMinute) {
    }

    private record TenantKey(String tenantId, int perMinute) {
    }

    /** A refusal: whole seconds to wait, and which limit was reached, for the error description. */
    record Wait(long seconds, boolean perAddress) {
    }

    private final Ticker ticker;
    private final Cache<AddressKey, Bucket> addresses;
    private final Cache<TenantKey, Bucket> tenants;

    AnonymousRateLimits(Ticker ticker) {
        this.ticker = ticker;
        this.addresses = Caffeine.newBuilder().maximumSize(MOST_ADDRESSES).expireAfterAccess(IDLE).ticker(ticker).build();
        this.tenants = Caffeine.newBuilder().maximumSize(MOST_TENANTS).expireAfterAccess(IDLE).ticker(ticker).build();
    }

    /**
     * Takes one request from the address's bucket and then the tenant's; empty if both allowed it. A request the address bucket refuses costs the tenant nothing,
     * so one noisy address cannot use up everyone else's allowance.
     */
    Optional<Wait> take(String tenantId, String addressKey, AnonymousCustomerPolicy policy) {
        long now = ticker.read();
        int perAddress = policy.requestsPerMinutePerAddress();
        long wait = addresses.get(new AddressKey(tenantId, addressKey, perAddress), key -> new Bucket(perAddress, now)).take(now);
        if (wait > 0) {
            return Optional.of(new Wait(wait, true));
        }
        int perTenant = policy.requestsPerMinutePerTenant();
        wait = tenants.get(new TenantKey(tenantId, perTenant), key -> new Bucket(perTenant, now)).take(now);
        return wait > 0 ? Optional.of(new Wait(wait, false)) : Optional.empty();
    }

    /** A minute's allowance that refills continuously; state in nanoseconds of the ticker. */
    private static final class Bucket {

        private static final double NANOS_PER_MINUTE = 60e9;

        private final int perMinute;
        private double available;
        private long updatedAt;

        Bucket(int perMinute, long now) {
            this.perMinute = perMinute;
            this.available = perMinute;
            this.updatedAt = now;
        }

        /** 0 if a request was taken, else the seconds until one will be available (at least 1). */
        synchronized long take(long now) {
            available = Math.min(perMinute, available + (now - updatedAt) * perMinute / NANOS_PER_MINUTE);
            updatedAt = now;
            if (available >= 1) {
                available -= 1;
                return 0;
            }
            double nanosToNext = (1 - available) * NANOS_PER_MINUTE / perMinute;
            return Math.max(1, (long) Math.ceil(nanosToNext / 1e9));
        }
    }
}
