package dev.portcullis.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * Token buckets (Bucket4j) for the tenants' request rate limits, one per tenant, kind and key (a client id or a
 * client address), each holding a minute's allowance and refilling smoothly.
 *
 * <p>They live in this instance's memory, not in the database: a check costs no round trip, so the token endpoint
 * keeps its latency and goes on working while the database is out. With several instances behind a load balancer
 * each counts on its own, so the effective limit is the configured one times the number of instances (less, the
 * more unevenly the balancer spreads one client's requests); configure per instance accordingly.
 *
 * <p>Keys are chosen by whoever sends the requests, so the buckets are bounded: an idle bucket is dropped after
 * {@link #IDLE} (by then it has refilled, so nothing is forgotten), and past {@link #MOST_BUCKETS} the least
 * used ones go, which can only forgive a flood of distinct keys early, never refuse anyone wrongly.
 */
public final class RequestRateLimits {

    static final int MOST_BUCKETS = 200_000;
    /** Longer than a bucket's full refill (one minute). */
    static final Duration IDLE = Duration.ofMinutes(2);

    /** What a limit counts. */
    public enum Kind {
        TOKEN_PER_CLIENT("token requests from this client"),
        TOKEN_PER_ADDRESS("token requests from this address"),
        AUTHORIZE_PER_ADDRESS("authorization requests from this address"),
        LOGIN_PER_ADDRESS("sign-in attempts from this address"),
        REGISTER_PER_ADDRESS("client registrations from this address");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** The limit is part of the key: a tenant that changes it starts a new bucket at once. */
    private record Key(String tenantId, Kind kind, String key, int perMinute) {
    }

    private final Cache<Key, Bucket> buckets = Caffeine.newBuilder().maximumSize(MOST_BUCKETS).expireAfterAccess(IDLE).build();

    /**
     * Takes one request from the bucket of {@code key}; empty if allowed, else the whole seconds until one will be
     * (at least 1). A {@code perMinute} of 0 or less allows everything and keeps no bucket.
     */
    public OptionalLong take(String tenantId, Kind kind, String key, int perMinute) {
        if (perMinute <= 0) {
            return OptionalLong.empty();
        }
        Bucket bucket = buckets.get(new Key(tenantId, kind, key, perMinute), k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
    }
}
