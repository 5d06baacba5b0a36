package dev.portcullis.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this instance's caches in step with configuration changes made anywhere (the CLI, a tenants
 * file apply, another instance). On PostgreSQL a {@link ConfigChangeListener} hears each change within
 * milliseconds of its commit; the poll of {@link ConfigRevision} every interval stays as the fallback
 * (while that connection is down) and is the only mechanism on SQLite, which has no notifications.
 * One indexed single-row read per interval per instance costs next to nothing.
 */
public final class CacheRefresher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CacheRefresher.class);

    private final Sql sql;
    private final ConfigChanges changes;
    private final ScheduledExecutorService scheduler;
    private final Optional<ConfigChangeListener> listener;

    public CacheRefresher(Database database, ConfigChanges changes, int intervalSeconds) {
        this.sql = database.sql();
        this.changes = changes;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "portcullis-cache-refresh");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::poll, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        this.listener = database.isSqlite() ? Optional.empty()
                : Optional.of(ConfigChangeListener.start(database.jdbcUrl(), changes));
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
        listener.ifPresent(ConfigChangeListener::close);
        scheduler.shutdownNow();
    }
}
