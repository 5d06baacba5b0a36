package dev.portcullis.web;

import dev.portcullis.store.Database;
import io.javalin.http.Context;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health}: 200 when the process and the database answer, 503 otherwise. */
final class HealthEndpoint {

    private final Database database;

    HealthEndpoint(Database database) {
        this.database = database;
    }

    void handle(Context ctx) {
        boolean databaseUp;
        try (Connection connection = database.dataSource().getConnection()) {
            databaseUp = connection.isValid(2);
        } catch (Exception e) {
            databaseUp = false;
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", databaseUp ? "UP" : "DOWN");
        body.put("database", databaseUp ? "UP" : "DOWN");
        ctx.header("Cache-Control", "no-store");
        JsonResponses.write(ctx, databaseUp ? 200 : 503, body);
    }
}
