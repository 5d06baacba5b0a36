package dev.portcullis.console;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import dev.portcullis.web.WrittenResponses;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.nio.charset.StandardCharsets;

/**
 * Serves the web console: one page at {@code /admin/} (and at {@code /admin/callback}, where the sign-in returns),
 * and its modules and stylesheet under {@code /admin/assets/}. The page calls the admin API ({@code /admin/api/v1},
 * mounted by the admin API itself) with a bearer token, so nothing here reads a cookie or changes state.
 */
public final class ConsoleRoutes implements Feature {

    /**
     * Nothing inline, nothing from another origin: the page's modules and stylesheet come from this server, and it
     * talks only to this server (the realm's endpoints and the admin API).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final ConsoleAssets assets;
    private final byte[] page;

    public ConsoleRoutes(Core core) {
        this.assets = ConsoleAssets.load();
        this.page = assets.indexTemplate().replace("{{PUBLIC_URL}}", attribute(core.publicUrl())).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void routes(Javalin app, String realmBase) {
        // The router ignores trailing slashes, so /admin and /admin/ reach the same handler: the path tells them apart.
        app.get("/admin", this::page);
        app.get(ConsoleClient.CALLBACK_PATH, this::page);
        app.get("/admin/assets/{file}", this::asset);
    }

    private void page(Context ctx) {
        secure(ctx);
        if (ctx.path().equals("/admin")) {
            // relative URLs in the page resolve against /admin/, not against /
            ctx.header("Cache-Control", "no-store");
            ctx.redirect(ctx.queryString() == null ? "/admin/" : "/admin/?" + ctx.queryString(), HttpStatus.MOVED_PERMANENTLY);
            return;
        }
        // no-cache: revalidated on every visit, so a new release's page (naming new asset hashes) is seen at once
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    private void asset(Context ctx) {
        secure(ctx);
        ConsoleAssets.Asset asset = assets.find(ctx.pathParam("file")).orElse(null);
        if (asset == null) {
            ctx.header("Cache-Control", "no-store");
            ctx.status(404).contentType("text/plain; charset=utf-8").result("No such console file; reload /admin/ for the current ones.");
            WrittenResponses.mark(ctx);
            return;
        }
        ctx.header("Cache-Control", IMMUTABLE).contentType(asset.contentType()).result(asset.body());
    }

    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }

    private static String attribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
