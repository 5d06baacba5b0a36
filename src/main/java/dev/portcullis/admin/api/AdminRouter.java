package dev.portcullis.admin.api;

import dev.portcullis.admin.TenantsFileException;
import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.store.StoreException;
import dev.portcullis.web.DatabaseUnavailable;
import dev.portcullis.web.WrittenResponses;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Mounts the admin API's operations under {@link #BASE}: each is authenticated, answers only JSON, and turns
 * every failure into an RFC 9457 problem (never a stack trace). It keeps the list of what it mounted, which
 * the OpenAPI document is tested against, and answers unknown paths and methods under the base as problems.
 */
final class AdminRouter {

    static final String BASE = "/admin/api/v1";
    private static final Logger LOG = LoggerFactory.getLogger(AdminRouter.class);

    @FunctionalInterface
    interface Operation {
        void handle(AdminRequest request);
    }

    /** One mounted operation: its method and path relative to {@link #BASE}, with {@code {name}} parameters. */
    record Route(HandlerType method, String path) {
        Pattern pattern() {
            return Pattern.compile(path.replaceAll("\\{[^}/]+}", "[^/]+"));
        }
    }

    private final Javalin app;
    private final AdminAuthentication authentication;
    private final List<Route> routes = new ArrayList<>();

    AdminRouter(Javalin app, AdminAuthentication authentication) {
        this.app = app;
        this.authentication = authentication;
    }

    void get(String path, Operation operation) {
        add(HandlerType.GET, path, operation);
    }

    void post(String path, Operation operation) {
        add(HandlerType.POST, path, operation);
    }

    void put(String path, Operation operation) {
        add(HandlerType.PUT, path, operation);
    }

    void patch(String path, Operation operation) {
        add(HandlerType.PATCH, path, operation);
    }

    void delete(String path, Operation operation) {
        add(HandlerType.DELETE, path, operation);
    }

    /** A route anyone may read (the OpenAPI document): no token, same error handling. */
    void publicGet(String path, io.javalin.http.Handler handler) {
        routes.add(new Route(HandlerType.GET, path));
        app.get(BASE + path, ctx -> guarded(ctx, () -> handler.handle(ctx)));
    }

    private void add(HandlerType method, String path, Operation operation) {
        routes.add(new Route(method, path));
        app.addHttpHandler(method, BASE + path, ctx -> guarded(ctx, () -> {
            AdminCaller caller = authentication.authenticate(ctx.header("Authorization"));
            operation.handle(new AdminRequest(ctx, caller));
        }));
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    /** After every operation is mounted: unknown paths under the base get 404 and known paths' other methods 405. */
    void mountFallbacks() {
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
            app.addHttpHandler(method, BASE + "/<rest>", ctx -> guarded(ctx, () -> {
                throw unmatched(ctx);
            }));
        }
    }

    private Problem unmatched(Context ctx) {
        String path = ctx.path().substring(BASE.length());
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            if (route.pattern().matcher(path).matches()) {
                allowed.add(route.method().name());
            }
        }
        if (allowed.isEmpty()) {
            return Problem.notFound("the admin API has no resource at " + AdminRequest.shortened(ctx.path())
                    + "; see " + BASE + "/openapi.json");
        }
        return Problem.of(Problem.Type.METHOD_NOT_ALLOWED, ctx.method().name() + " is not allowed here; use "
                + String.join(", ", allowed)).withHeaders(Map.of("Allow", String.join(", ", allowed)));
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private static void guarded(Context ctx, Work work) {
        ctx.header("Cache-Control", "no-store");
        try {
            work.run();
        } catch (Problem problem) {
            write(ctx, problem);
        } catch (TenantsFileException invalid) {
            write(ctx, invalid.field().map(field -> Problem.invalidField(field, invalid.detail()))
                    .orElseGet(() -> Problem.invalid(invalid.detail())));
        } catch (StoreException e) {
            if (e.isConstraintViolation()) {
                write(ctx, Problem.conflict("another request changed the same resource at the same moment; read it again and retry"));
            } else {
                DatabaseUnavailable.log(LOG, ctx, e);
                write(ctx, Problem.of(Problem.Type.UNAVAILABLE, DatabaseUnavailable.DESCRIPTION)
                        .withHeaders(Map.of("Retry-After", String.valueOf(DatabaseUnavailable.RETRY_AFTER_SECONDS))));
            }
        } catch (PasswordHasher.Busy busy) {
            write(ctx, Problem.of(Problem.Type.UNAVAILABLE, "password hashing is saturated by sign-ins; try again shortly")
                    .withHeaders(Map.of("Retry-After", "2")));
        } catch (Exception e) {
            LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, Problem.of(Problem.Type.SERVER_ERROR, "the server failed to handle the request"));
        }
    }

    static void write(Context ctx, Problem problem) {
        WrittenResponses.mark(ctx);
        problem.headers().forEach(ctx::header);
        dev.portcullis.web.RequestLog.refusal(ctx, problem.type().name().toLowerCase(java.util.Locale.ROOT), problem.getMessage());
        ctx.status(problem.status()).contentType("application/problem+json")
                .result(AdminJson.bytes(problem.body(ctx.path())));
    }
}
