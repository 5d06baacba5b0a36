package dev.portcullis.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The one in-memory cache of configuration lookups (tenants, clients, subjects, CORS origins), under
 * one ceiling in bytes for all of them together. Lookups keyed by what a caller sent are cached even
 * when they miss, so unknown ids cannot hammer the database; bounding by estimated bytes rather than
 * by entry count keeps such misses from filling the heap, and Caffeine's frequency-based admission
 * keeps a flood of one-off keys from evicting the entries real traffic uses.
 */
public final class LookupCache {

    /** A cache key: a record per directory, so keys of different directories never collide. */
    public interface Key {
        /** Roughly what the key keeps alive on the heap. */
        long estimatedBytes();
    }

    private record Sized(Object value, long bytes) {
    }

    /** Object header plus the fields of the map entry, the key record and the value wrapper. */
    private static final long ENTRY_OVERHEAD = 160;

    private final Cache<Key, Sized> cache;
    private final long maximumBytes;

    public LookupCache(long maximumBytes) {
        this.maximumBytes = maximumBytes;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maximumBytes)
                .weigher((Key key, Sized sized) -> (int) Math.min(Integer.MAX_VALUE, sized.bytes()))
                .build();
    }

    /** The cached value for {@code key}, loading it (and estimating its size) on a miss. */
    @SuppressWarnings("unchecked")
    public <K extends Key, V> V get(K key, Function<K, V> loader, ToLongFunction<V> valueBytes) {
        return (V) cache.get(key, k -> {
            V value = loader.apply(key);
            return new Sized(value, ENTRY_OVERHEAD + key.estimatedBytes() + valueBytes.applyAsLong(value));
        }).value();
    }

    /** Publishes the estimated size and the ceiling, so operators see how close the cache runs to it. */
    public LookupCache bindTo(MeterRegistry registry) {
        Gauge.builder("portcullis_lookup_cache_bytes", this, LookupCache::estimatedBytes)
                .description("Estimated heap held by the lookup cache (tenants, clients, subjects, CORS origins)")
                .baseUnit("bytes").register(registry);
        Gauge.builder("portcullis_lookup_cache_max_bytes", this, LookupCache::maximumBytes)
                .description("The lookup cache's ceiling (cache_max_mb)").baseUnit("bytes").register(registry);
        return this;
    }

    public void invalidateAll() {
        cache.invalidateAll();
    }

    /** The estimated bytes held now; Caffeine evicts down to {@link #maximumBytes()} as entries arrive. */
    public long estimatedBytes() {
        cache.cleanUp();
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    public long maximumBytes() {
        return maximumBytes;
    }

    /** Heap estimate of a string: header and array, two bytes a character to be safe (Latin-1 takes one). */
    public static long bytes(String value) {
        return value == null ? 0 : 56 + 2L * value.length();
    }

    public static long bytes(Optional<String> value) {
        return 16 + value.map(LookupCache::bytes).orElse(0L);
    }

    public static long bytes(Collection<String> values) {
        long total = 32;
        for (String value : values) {
            total += 16 + bytes(value);
        }
        return total;
    }
}
