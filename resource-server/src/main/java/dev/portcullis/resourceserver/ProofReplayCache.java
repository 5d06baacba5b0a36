package dev.portcullis.resourceserver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DPoP proofs this API instance accepted while they could still pass the iat check, in memory and bounded.
 * Entries expire in the order they were added (all live equally long), so expired ones are dropped from the head.
 * When the cache is full of live proofs it refuses new ones rather than forget one that could then be replayed.
 * Instances behind one load balancer each keep their own: an API that needs replay protection across instances
 * must route a client to one instance, or check proofs against a shared store of its own.
 */
final class ProofReplayCache {

    /** What {@link #add} found. */
    enum Outcome { ADDED, REPLAYED, FULL }

    private final int maxEntries;
    private final long lifetimeSeconds;
    private final Clock clock;
    private final LinkedHashMap<String, Long> expiries = new LinkedHashMap<>();

    ProofReplayCache(int maxEntries, long lifetimeSeconds, Clock clock) {
        this.maxEntries = maxEntries;
        this.lifetimeSeconds = lifetimeSeconds;
        this.clock = clock;
    }

    /** Records the proof with this key thumbprint and jti, unless it was seen before or there is no room. */
    synchronized Outcome add(String thumbprint, String jti) {
        long now = clock.instant().getEpochSecond();
        Iterator<Map.Entry<String, Long>> oldest = expiries.entrySet().iterator();
        while (oldest.hasNext() && oldest.next().getValue() <= now) {
            oldest.remove();
        }
        String key = hash(thumbprint + "\n" + jti);
        if (expiries.containsKey(key)) {
            return Outcome.REPLAYED;
        }
        if (expiries.size() >= maxEntries) {
            return Outcome.FULL;
        }
        expiries.put(key, now + lifetimeSeconds);
        return Outcome.ADDED;
    }

    synchronized int size() {
        return expiries.size();
    }

    /** A fixed-size key whatever the jti's length, which the caller chose. */
    private static String hash(String value) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
