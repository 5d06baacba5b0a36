package dev.portcullis.observe;

import dev.portcullis.config.ConfigException;
import dev.portcullis.store.Database;
import dev.portcullis.web.JsonResponses;
import io.javalin.Javalin;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The management listener: {@code /metrics} and the health probes, on their own port (loopback by
 * default) because they name every tenant and are for the operator's monitoring, not for clients.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    private final Javalin app;

    public ManagementServer(Database database, TokenMetrics metrics) {
        HealthEndpoint health = new HealthEndpoint(database);
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.router.ignoreTrailingSlashes = true;
            config.jetty.modifyServer(server -> server.setStopTimeout(1_000));
            // a scrape and a few probes at a time: no reason to hold the public port's worker count
            config.jetty.threadPool = new QueuedThreadPool(8, 2, 60_000);
        });
        app.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
        app.get("/health", health::health);
        app.get("/health/live", health::live);
        app.get("/health/ready", health::ready);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        app.error(404, ctx -> JsonResponses.write(ctx, 404, Map.of("error", "not_found",
                "error_description", "no such endpoint: " + ctx.path() + " (management: /metrics, /health, /health/live, /health/ready)")));
    }

    /** A taken port is an operator's setting to change (9090 is a popular default), so it says which. */
    public ManagementServer start(String bind, int port) {
        try {
            app.start(bind, port);
        } catch (Exception e) { // Jetty can also surface a failed bind as its stop's (undeclared) ExecutionException
            throw new ConfigException("the management listener cannot start on " + bind + ":" + port
                    + " (is management_port " + port + " taken?): set management_port to a free port, or 0 for any");
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        try {
            app.stop();
        } catch (RuntimeException e) {
            LOG.warn("Management server stopped after its graceful period expired: {}", e.toString());
        }
    }
}
