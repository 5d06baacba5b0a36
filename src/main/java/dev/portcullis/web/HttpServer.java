package dev.portcullis.web;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import dev.portcullis.grant.GrantRegistry;
import dev.portcullis.observe.TokenMetrics;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.ratelimit.RateLimited;
import dev.portcullis.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The HTTP surface: routes, error mapping and headers common to every response. */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final String REALM = "/system/auth/{realm}";

    private final Javalin app;

    /**
     * The listener with the core endpoints of every realm (token, introspection, revocation, metadata,
     * JWKS), then each feature's routes; {@code grants} holds every feature's grant handlers.
     */
    public HttpServer(Core core, GrantRegistry grants, List<Feature> features) {
        RealmResolver realms = new RealmResolver(core.tenants());
        CorsPolicy cors = new CorsPolicy(core.clientRepository(), core.lookups());
        List<ProofOfPossession> proofs = features.stream().flatMap(feature -> feature.proofOfPossession().stream()).toList();
        if (proofs.size() > 1) {
            throw new IllegalStateException("two features check proofs of possession on token requests");
        }
        TokenEndpoint token = new TokenEndpoint(realms, cors, grants, core.clientAuthenticator(),
                proofs.isEmpty() ? ProofOfPossession.NONE : proofs.get(0), core.issuer(), core.metrics(), core.audit(),
                features.stream().flatMap(feature -> feature.tokenResponseExtensions().stream()).toList(), core.rateLimits());
        byte[] stylesheet = resource("/assets/portcullis.css");
        IntrospectionEndpoint introspection = new IntrospectionEndpoint(realms, core.clientAuthenticator(), core.accessTokens(),
                core.refreshTokens(), core.clock());
        RevocationEndpoint revocation = new RevocationEndpoint(realms, cors, core.clientAuthenticator(), core.accessTokens(),
                core.refreshTokens(), core.clock());
        MetadataEndpoint metadata = new MetadataEndpoint(realms, grants, core.publicUrl(), core.clientRepository(), core.lookups());
        JwksEndpoint jwks = new JwksEndpoint(realms, core.keys());
        int httpThreads = core.config().httpThreads();
        TokenMetrics metrics = core.metrics();
        // Behind https, tell browsers to never try plain http again (a year, the common preload floor).
        boolean strictTransport = core.publicUrl().startsWith("https://");

        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.router.ignoreTrailingSlashes = true;
            if (RequestLog.enabled()) {
                config.requestLogger.http(RequestLog::log);
            }
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(2_000);
                server.setErrorHandler(new BadMessageErrors());
            });
            config.jetty.threadPool = new org.eclipse.jetty.util.thread.QueuedThreadPool(httpThreads, Math.min(8, httpThreads),
                    60_000);
        });
        app.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
            if (strictTransport) {
                ctx.header("Strict-Transport-Security", "max-age=31536000");
            }
        });
        app.post(REALM + "/oauth2/token", new TokenWorkers(core.config().tokenWorkers()).admit(token::handle));
        app.options(REALM + "/oauth2/token", token::preflight);
        app.post(REALM + "/oauth2/introspect", introspection::handle);
        app.post(REALM + "/oauth2/revoke", revocation::handle);
        app.options(REALM + "/oauth2/revoke", token::preflight);
        app.get("/assets/portcullis.css", ctx -> ctx.contentType("text/css; charset=utf-8")
                .header("Cache-Control", "public, max-age=3600").result(stylesheet));
        app.get(REALM + "/.well-known/openid-configuration", metadata::handleOpenId);
        app.get(REALM + "/.well-known/oauth-authorization-server", metadata::handle);
        app.get("/.well-known/oauth-authorization-server" + REALM, metadata::handle);
        app.get(REALM + "/oauth2/jwks", jwks::handle);
        features.forEach(feature -> feature.routes(app, REALM));

        app.exception(OAuthException.class, (e, ctx) -> {
            metrics.error(e.error().code());
            JsonResponses.error(ctx, e);
            WrittenResponses.mark(ctx);
        });
        app.exception(RateLimited.class, (e, ctx) -> {
            metrics.error("rate_limited");
            e.write(ctx);
            WrittenResponses.mark(ctx);
        });
        app.exception(StoreException.class, (e, ctx) -> {
            DatabaseUnavailable.log(LOG, ctx, e);
            metrics.error(OAuthError.TEMPORARILY_UNAVAILABLE.code());
            ctx.header("Retry-After", String.valueOf(DatabaseUnavailable.RETRY_AFTER_SECONDS));
            JsonResponses.error(ctx, OAuthError.TEMPORARILY_UNAVAILABLE, DatabaseUnavailable.DESCRIPTION);
            WrittenResponses.mark(ctx);
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            metrics.error(OAuthError.SERVER_ERROR.code());
            JsonResponses.error(ctx, OAuthError.SERVER_ERROR, "the server failed to handle the request");
            WrittenResponses.mark(ctx);
        });
        app.error(404, ctx -> writeUnlessWritten(ctx, OAuthError.NOT_FOUND, "no such endpoint: " + ctx.path()));
        app.error(405, ctx -> writeUnlessWritten(ctx, OAuthError.METHOD_NOT_ALLOWED,
                ctx.method() + " is not allowed on " + ctx.path()));
    }

    /**
     * Javalin's status handlers also run after our own 404s; keep the body an endpoint already wrote.
     * Javalin's own 404/405 (no route, wrong method) arrive with its plain-text body, which is replaced.
     */
    private static void writeUnlessWritten(Context ctx, OAuthError error, String description) {
        if (!WrittenResponses.isMarked(ctx)) {
            JsonResponses.error(ctx, error, description);
        }
    }

    private static byte[] resource(String path) {
        try (java.io.InputStream in = HttpServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public HttpServer start(String bind, int port) {
        app.start(bind, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Stops the server; connections still busy after the graceful period are cut, which is logged, not thrown. */
    @Override
    public void close() {
        try {
            app.stop();
        } catch (RuntimeException e) {
            LOG.warn("HTTP server stopped after its graceful period expired: {}", e.toString());
        }
    }
}
