package dev.portcullis.observe;

import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.store.Database;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The bounded queues' state on /metrics, so an operator sees overload and outages before clients report them. */
public final class CapacityMetrics {

    private CapacityMetrics() {
    }

    public static void bind(MeterRegistry registry, Database database) {
        Gauge.builder("portcullis_password_hashes_in_flight", PasswordHasher::inFlight)
                .description("Sign-ins hashing a password or waiting to (password_hash_queue is the most)").register(registry);
        Gauge.builder("portcullis_password_hash_queue_limit", PasswordHasher::queueLimit)
                .description("password_hash_queue: past this many, a sign-in is refused with 503").register(registry);
        FunctionCounter.builder("portcullis_password_hash_refused", PasswordHasher.class, ignored -> PasswordHasher.refused())
                .description("Sign-ins refused because password hashing was saturated").register(registry);
        Gauge.builder("portcullis_database_available", database, db -> db.isAvailable() ? 1 : 0)
                .description("1 while the database answers; 0 while requests that need it are refused").register(registry);
    }
}
