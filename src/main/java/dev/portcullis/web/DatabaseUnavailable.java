package dev.portcullis.web;

import dev.portcullis.store.StoreException;
import io.javalin.http.Context;
import org.slf4j.Logger;

/**
 * What every surface (token endpoint JSON, sign-in pages, admin API) says when a request needed the
 * database and could not have it: 503 with {@code Retry-After}, whatever the cause (unreachable, a
 * statement over its timeout, too many requests waiting for a connection).
 */
public final class DatabaseUnavailable {

    /** Long enough for the gate's next trial of an unreachable database; short enough for a blip. */
    public static final int RETRY_AFTER_SECONDS = 2;
    public static final String DESCRIPTION = "the server's database is unavailable; try again shortly";

    private DatabaseUnavailable() {
    }

    /**
     * A refusal by the gate is expected while the database is down (the gate logged the outage once), so it
     * is not logged again per request; any other failure is, with its cause.
     */
    public static void log(Logger log, Context ctx, StoreException e) {
        if (e.refusedAtGate()) {
            log.debug("Refused {} {}: {}", ctx.method(), ctx.path(), e.getCause().getMessage());
        } else {
            log.error("Database failure on {} {}", ctx.method(), ctx.path(), e);
        }
    }
}
