package dev.portcullis.token;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs the signing-key schedule on every instance: rotations that are due (each tenant's
 * {@code signing_key_rotation_days}), the removal of keys whose tokens have all expired, and the first key of every
 * new tenant ({@link KeyProvisioner}), at start, after every configuration change and every minute. Running
 * everywhere is safe: the database lets one instance's rotation through and deletes are idempotent.
 */
public final class KeyRotationSchedule implements Feature {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRotationSchedule.class);
    static final long PERIOD_SECONDS = 60;

    /** Key generation in the background takes half the cores at most, so that requests keep the rest. */
    static final int PROVISIONING_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private final KeyLifecycle lifecycle;
    private final KeyProvisioner provisioner;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "portcullis-key-rotation");
        thread.setDaemon(true);
        return thread;
    });

    public KeyRotationSchedule(Core core) {
        this.lifecycle = core.keyLifecycle();
        this.clock = core.clock();
        this.provisioner = lifecycle.provisioner(clock);
        scheduler.execute(this::provision);
        scheduler.scheduleWithFixedDelay(this::run, ThreadLocalRandom.current().nextLong(5, PERIOD_SECONDS), PERIOD_SECONDS,
                TimeUnit.SECONDS);
    }

    private void run() {
        try {
            lifecycle.runScheduled(clock.instant().getEpochSecond());
        } catch (RuntimeException e) {
            LOG.warn("Signing-key schedule failed: {}", e.getMessage());
        }
        provision();
    }

    private void provision() {
        try {
            provisioner.provisionMissing(PROVISIONING_THREADS);
        } catch (RuntimeException e) {
            LOG.warn("Creating the signing keys of new tenants failed: {}", e.getMessage());
        }
    }

    /** A configuration change may have created tenants: their keys are made now rather than at their first token. */
    @Override
    public List<Runnable> cacheInvalidators() {
        return List.of(() -> {
            try {
                scheduler.execute(this::provision);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // the server is stopping: nothing to provision for
            }
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
