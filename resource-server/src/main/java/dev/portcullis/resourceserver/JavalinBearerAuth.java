package dev.portcullis.resourceserver;

import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * The Javalin adapter: a handler that lets a request through only with a token the rule allows, either
 * wrapping the endpoint's handler or as a before-handler.
 * <pre>
 * app.get("/api/v1/articles", JavalinBearerAuth.protect(tokens, readArticles, ctx -> {
 *     AccessToken token = JavalinBearerAuth.token(ctx);
 *     ...
 * }));
 * app.before("/api/v1/articles", JavalinBearerAuth.require(tokens, readArticles));
 * </pre>
 */
public final class JavalinBearerAuth {

    /** The request attribute holding the caller's {@link AccessToken}. */
    public static final String TOKEN_ATTRIBUTE = AccessToken.class.getName();

    private JavalinBearerAuth() {
    }

    /** {@code handler}, run only for requests whose token {@code rule} allows; the others get the RFC 6750 answer. */
    public static Handler protect(ResourceServer tokens, AccessRule rule, Handler handler) {
        return ctx -> {
            if (admitted(tokens, rule, ctx)) {
                handler.handle(ctx);
            }
        };
    }

    /** A before-handler: a refused request skips every later handler, the endpoint's included. */
    public static Handler require(ResourceServer tokens, AccessRule rule) {
        return ctx -> {
            if (!admitted(tokens, rule, ctx)) {
                ctx.skipRemainingHandlers();
            }
        };
    }

    /** The caller's token, set by {@link #protect} or {@link #require}. */
    public static AccessToken token(Context ctx) {
        AccessToken token = ctx.attribute(TOKEN_ATTRIBUTE);
        if (token == null) {
            throw new IllegalStateException("no access token on this request: protect the route with JavalinBearerAuth");
        }
        return token;
    }

    private static boolean admitted(ResourceServer tokens, AccessRule rule, Context ctx) {
        Decision decision = tokens.authorize(ctx.header("Authorization"), rule);
        if (decision instanceof Decision.Allowed allowed) {
            ctx.attribute(TOKEN_ATTRIBUTE, allowed.token());
            return true;
        }
        Decision.Refused refused = (Decision.Refused) decision;
        ctx.status(refused.status());
        refused.headers().forEach(ctx::header);
        ctx.contentType("application/json").result(refused.jsonBody());
        return false;
    }
}
