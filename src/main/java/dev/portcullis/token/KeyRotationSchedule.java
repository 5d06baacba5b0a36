package dev.portcullis.token;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs the signing-key schedule on every instance: rotations that are due (each tenant's
 * {@code signing_key_rotation_days}) and the removal of keys whose tokens have all expired. Running
 * everywhere is safe: the database lets one instance's rotation through and deletes are idempotent.
 */
public final class KeyRotationSchedule implements Feature {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRotationSchedule.class);
    static final long PERIOD_SECONDS = 60;

    private final KeyLifecycle lifecycle;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "portcullis-key-rotation");
        thread.setDaemon(true);
        return thread;
    });

    public KeyRotationSchedule(Core core) {
        this.lifecycle = core.keyLifecycle();
        this.clock = core.clock();
        scheduler.scheduleWithFixedDelay(this::run, ThreadLocalRandom.current().nextLong(5, PERIOD_SECONDS), PERIOD_SECONDS,
                TimeUnit.SECONDS);
    }

    private void run() {
        try {
            lifecycle.runScheduled(clock.instant().getEpochSecond());
        } catch (RuntimeException e) {
            LOG.warn("Signing-key schedule failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
