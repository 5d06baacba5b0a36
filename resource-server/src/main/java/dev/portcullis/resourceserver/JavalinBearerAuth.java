package dev.portcullis.resourceserver;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.util.Collections;
import java.util.List;

/**
 * The Javalin adapter: a handler that lets a request through only with a token the rule allows (a Bearer token, or
 * a DPoP-bound token with its proof), either wrapping the endpoint's handler or as a before-handler.
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
        var proofs = ctx.req().getHeaders("DPoP");
        Decision decision = tokens.authorize(ResourceRequest.of(ctx.method().name(), ctx.url(), ctx.header("Authorization"),
                proofs == null ? List.of() : Collections.list(proofs)), rule);
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
