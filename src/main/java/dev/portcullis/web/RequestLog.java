package dev.portcullis.web;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DEBUG line per request on logger {@code portcullis.http} ({@code PORTCULLIS_LOG_LEVEL=DEBUG}): method, path,
 * status, time, and for an OAuth refusal its error and description, so that a client's failing integration can be
 * followed from the server's side. Never the query string, a header or the body, which carry codes, tokens and
 * secrets; a refusal's description names what was wrong, never a credential (LogsNeverLeakTest holds both).
 */
public final class RequestLog {

    private static final Logger LOG = LoggerFactory.getLogger("portcullis.http");
    private static final String REFUSAL = "portcullis.refusal";
    private static final int MAX_PATH = 200;

    private RequestLog() {
    }

    public static boolean enabled() {
        return LOG.isDebugEnabled();
    }

    /** Keeps a refusal's error and description (OAuth JSON or admin API problem) for the request's line. */
    public static void refusal(Context ctx, String error, String description) {
        if (LOG.isDebugEnabled()) {
            ctx.attribute(REFUSAL, " error=" + error + " description=\"" + clean(description) + "\"");
        }
    }

    /** Javalin's request logger: called once the response is written. */
    public static void log(Context ctx, Float millis) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        String refusal = ctx.attribute(REFUSAL);
        String path = ctx.path();
        LOG.debug("{} {} {} {} ms{}", ctx.method(), clean(path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path),
                ctx.statusCode(), String.format(java.util.Locale.ROOT, "%.1f", millis), refusal == null ? "" : refusal);
    }

    /** One line, printable: a path or description cannot forge log lines. */
    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : c);
        }
        return out.toString();
    }
}
