package dev.portcullis.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Drops this instance's configuration caches when the configuration changes. Three sources say so:
 * the poll of {@link ConfigRevision} ({@link CacheRefresher}), a PostgreSQL notification
 * ({@link ConfigChangeListener}), and code on this instance that has just committed a change itself
 * ({@link #changed()}, for the admin API, so its next response already reads the new state).
 *
 * <p>The poll and the notification report the revision they saw; remembering the last one lets the
 * second of them to arrive for the same change do nothing instead of emptying warm caches again.
 */
public final class ConfigChanges {

    // Registered while the server is wired, run from the poll and listener threads afterwards.
    private final List<Runnable> invalidators = new CopyOnWriteArrayList<>();
    private long seen;

    /** @param revision the configuration revision the caches start from (read before any is filled) */
    public ConfigChanges(long revision) {
        this.seen = revision;
    }

    /**
     * Publishes the revision this instance's caches follow: instances that show different values
     * for long are out of step (a listener down and a slow poll, or a poll that fails).
     */
    public ConfigChanges bindTo(MeterRegistry registry) {
        Gauge.builder("portcullis_config_revision", this, ConfigChanges::seen)
                .description("The configuration revision this instance's caches follow").register(registry);
        return this;
    }

    /** Adds what to drop on a change; called while the server is wired, before it serves. */
    public void register(Collection<Runnable> invalidations) {
        invalidators.addAll(invalidations);
    }

    /** Drops this instance's caches now: call after committing a configuration change (which bumps the revision). */
    public void changed() {
        invalidators.forEach(Runnable::run);
    }

    /** The revision the database holds now: drops the caches unless they already follow it. */
    synchronized boolean reached(long revision) {
        if (revision == seen) {
            return false;
        }
        seen = revision;
        changed();
        return true;
    }

    /** Drops the caches whatever the revision: after a lost notification connection a change may have gone unheard. */
    synchronized void resynchronise(long revision) {
        seen = revision;
        changed();
    }

    synchronized long seen() {
        return seen;
    }
}
