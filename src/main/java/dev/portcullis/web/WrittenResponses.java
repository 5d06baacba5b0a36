package dev.portcullis.web;

import io.javalin.http.Context;

/**
 * Marks a response whose error body an endpoint wrote itself (JSON error or HTML page), so the
 * status handlers that replace Javalin's own plain-text 404 and 405 bodies leave it alone.
 */
public final class WrittenResponses {

    private static final String ATTRIBUTE = "portcullis.response-written";

    private WrittenResponses() {
    }

    public static void mark(Context ctx) {
        ctx.attribute(ATTRIBUTE, true);
    }

    static boolean isMarked(Context ctx) {
        return ctx.attribute(ATTRIBUTE) != null;
    }
}
