package dev.portcullis.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls {@link ConfigRevision} and drops every cache when it moves: one indexed single-row read
 * per interval per instance buys cross-instance invalidation without a message bus.
 */
public final class CacheRefresher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CacheRefresher.class);

    private final Sql sql;
    private final List<Runnable> invalidations;
    private final ScheduledExecutorService scheduler;
    private volatile long seen;

    public CacheRefresher(Sql sql, List<Runnable> invalidations, int intervalSeconds) {
        this.sql = sql;
        this.invalidations = List.copyOf(invalidations);
        this.seen = ConfigRevision.current(sql);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "portcullis-cache-refresh");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::poll, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    void poll() {
        try {
            long current = ConfigRevision.current(sql);
            if (current != seen) {
                seen = current;
                invalidateAll();
                LOG.debug("Configuration revision {}: caches dropped", current);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not read the configuration revision: {}", e.getMessage());
        }
    }

    public void invalidateAll() {
        invalidations.forEach(Runnable::run);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
