package dev.portcullis.cimd;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.portcullis.cimd.DocumentFetcher.Outcome;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetched documents by URL, shared by every tenant (a document says the same to all; what a tenant allows is decided
 * on each lookup). Requests for a URL that is being fetched wait for that one fetch. A document is kept for its
 * {@link CacheLifetime}; a failure for {@link #FAILURE_LIFETIME}, so a broken or hostile client id costs one fetch
 * per ten seconds however often it is sent (the draft says not to cache errors; this keeps them only long enough
 * to stop a retry loop, and a fixed document is seen ten seconds later). At most {@link #MAX_ENTRIES} URLs are
 * kept, least recently used dropped first.
 *
 * <p>Fetches run on a small pool, at most {@link #MAX_PARALLEL_FETCHES} at once for the whole process with
 * {@link #MAX_QUEUED_FETCHES} queued, and at most {@link #MAX_WAITING_REQUESTS} request threads wait for fetches at
 * once (a document already fetched is answered without waiting), so a flood of new or slow client ids, or of
 * requests for one slow id, cannot tie up the request threads or open unbounded connections: past that a lookup
 * fails at once with "try again", which is not remembered. A request thread waits no longer than the slowest
 * fetch can take.
 */
final class DocumentCache {

    static final int MAX_ENTRIES = 2_000;
    /** Longer than any lifetime an outcome is given: an entry still being fetched is kept "for ever" until it ends. */
    private static final Duration MAX_LIFETIME = Duration.ofDays(365);
    static final Duration FAILURE_LIFETIME = Duration.ofSeconds(10);
    static final int MAX_PARALLEL_FETCHES = 8;
    static final int MAX_QUEUED_FETCHES = 16;
    static final int MAX_WAITING_REQUESTS = 16;

    private static final ThreadPoolExecutor FETCHES = fetchPool();
    private static final Semaphore WAITERS = new Semaphore(MAX_WAITING_REQUESTS);

    private final DocumentFetcher fetcher;
    private final AsyncCache<String, Outcome> cache;

    DocumentCache(DocumentFetcher fetcher) {
        this(fetcher, Ticker.systemTicker());
    }

    /** With the clock the entries expire by: the tests' own, so they need not wait a minute. */
    DocumentCache(DocumentFetcher fetcher, Ticker ticker) {
        this.fetcher = fetcher;
        this.cache = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumSize(MAX_ENTRIES)
                .expireAfter(Expiry.<String, Outcome>creating((url, outcome) -> lifetime(outcome)))
                .buildAsync();
    }

    private static Duration lifetime(Outcome outcome) {
        return outcome instanceof Outcome.Fetched fetched ? fetched.lifetime() : FAILURE_LIFETIME;
    }

    /** The document at {@code url}, fetched now or earlier, or why there is none. */
    Outcome get(ClientIdUrl url) {
        CompletableFuture<Outcome> pending = cache.get(url.value(), (key, executor) -> {
            try {
                return CompletableFuture.supplyAsync(() -> fetcher.fetch(url), FETCHES);
            } catch (RejectedExecutionException e) {
                // a failed future is not kept: the next request tries again
                return CompletableFuture.failedFuture(e);
            }
        });
        if (pending.isDone()) {
            return pending.isCompletedExceptionally() ? busy() : pending.join();
        }
        // a request thread serves everyone else while it waits: only so many may wait at once
        if (!WAITERS.tryAcquire()) {
            return busy();
        }
        try {
            return pending.get(fetcher.longestMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the fetch goes on and its outcome is kept for the next request
            return new Outcome.Failed("could not be fetched in time; try again");
        } catch (ExecutionException e) {
            return busy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failed("could not be fetched: the request was interrupted");
        } finally {
            WAITERS.release();
        }
    }

    /**
     * How long the outcome for {@code url} is still kept, once its fetch has finished and the cache has set its
     * lifetime (the cache does that just after waiting requests are woken); empty before. For tests that move the
     * clock, which must not move it before the lifetime is set.
     */
    Optional<Duration> keptFor(ClientIdUrl url) {
        return cache.synchronous().policy().expireVariably()
                .flatMap(policy -> policy.getExpiresAfter(url.value()))
                .filter(remaining -> remaining.compareTo(MAX_LIFETIME) <= 0);
    }

    private static Outcome busy() {
        return new Outcome.Failed("could not be fetched now: too many client metadata documents are being fetched; "
                + "try again shortly");
    }

    private static ThreadPoolExecutor fetchPool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_PARALLEL_FETCHES, MAX_PARALLEL_FETCHES, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED_FETCHES), runnable -> {
            Thread thread = new Thread(runnable, "portcullis-client-metadata-fetch");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
