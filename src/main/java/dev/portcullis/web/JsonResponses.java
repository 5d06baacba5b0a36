package dev.portcullis.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON bodies, and RFC 6749 error bodies with the headers the RFC asks for. */
public final class JsonResponses {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON = "application/json;charset=UTF-8";

    private JsonResponses() {
    }

    public static void write(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType(JSON).result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response is not serialisable", e);
        }
    }

    /** Token responses and errors must never be cached (RFC 6749 5.1). */
    public static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
    }

    public static void error(Context ctx, OAuthException e) {
        noStore(ctx);
        e.wwwAuthenticate().ifPresent(challenge -> ctx.header("WWW-Authenticate", challenge));
        e.headers().forEach(ctx::header);
        RequestLog.refusal(ctx, e.error().code(), e.description());
        write(ctx, e.status(), body(e.error(), e.description()));
    }

    public static void error(Context ctx, OAuthError error, String description) {
        noStore(ctx);
        RequestLog.refusal(ctx, error.code(), description);
        write(ctx, error.status(), body(error, description));
    }

    private static Map<String, String> body(OAuthError error, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("error_description", description);
        return body;
    }
}
