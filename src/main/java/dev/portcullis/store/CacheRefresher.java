package dev.portcullis.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private final ConfigChanges changes;
    private final ScheduledExecutorService scheduler;

    public CacheRefresher(Database database, ConfigChanges changes, int intervalSeconds) {
        this.sql = database.sql();
        this.changes = changes;
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
            if (changes.reached(current)) {
                LOG.debug("Configuration revision {} (polled): caches dropped", current);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not read the configuration revision: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
