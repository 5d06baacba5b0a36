package dev.portcullis.observe;

import dev.portcullis.store.Database;
import dev.portcullis.web.JsonResponses;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} (process and database), {@code /health/live} (the process answers) and
 * {@code /health/ready} (the database answers and its schema is fully migrated), for probes.
 */
final class HealthEndpoint {

    private final Database database;

    HealthEndpoint(Database database) {
        this.database = database;
    }

    void health(Context ctx) {
        boolean databaseUp = databaseUp();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", status(databaseUp));
        body.put("database", status(databaseUp));
        respond(ctx, databaseUp, body);
    }

    /** Liveness says nothing about the database: restarting the process would not bring it back. */
    void live(Context ctx) {
        respond(ctx, true, Map.of("status", "UP"));
    }

    void ready(Context ctx) {
        boolean databaseUp = databaseUp();
        // Asking Flyway needs the database; when it is down the schema's state is unknown.
        String migrations = databaseUp ? status(migrationsDone()) : "UNKNOWN";
        boolean ready = databaseUp && migrations.equals("UP");
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", status(ready));
        body.put("database", status(databaseUp));
        body.put("migrations", migrations);
        respond(ctx, ready, body);
    }

    /**
     * Asks the database itself, past the gate that refuses requests while it is unreachable: a probe
     * that succeeds reopens the way for requests at once, so readiness and service return together.
     */
    private boolean databaseUp() {
        try {
            return database.answers(2);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean migrationsDone() {
        try {
            return database.pendingMigrations() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String status(boolean up) {
        return up ? "UP" : "DOWN";
    }

    private static void respond(Context ctx, boolean up, Map<String, String> body) {
        ctx.header("Cache-Control", "no-store");
        JsonResponses.write(ctx, up ? 200 : 503, body);
    }
}
