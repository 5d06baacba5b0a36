package dev.portcullis.signin;

import dev.portcullis.web.WrittenResponses;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

import java.net.URI;
import java.util.Optional;

/**
 * Renders the server's pages with jte (auto-escaping, compiled at build time) and sets the
 * headers every HTML response carries: a strict Content-Security-Policy with
 * frame-ancestors 'none', no caching, no framing, no referrer.
 */
public final class HtmlPages {

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public void render(Context ctx, int status, String template, Object view, Optional<String> redirectTarget) {
        StringOutput output = new StringOutput();
        engine.render(template, view, output);
        // Chrome applies form-action to the redirects that follow a form post, so the client's
        // redirect origin must be allowed for the sign-in and consent forms to complete.
        String formAction = "'self'" + redirectTarget.flatMap(HtmlPages::origin).map(o -> " " + o).orElse("");
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action " + formAction
                + "; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        ctx.status(status).contentType("text/html; charset=utf-8").result(output.toString());
        WrittenResponses.mark(ctx);
    }

    public void message(Context ctx, int status, String tenantName, String title, String message) {
        render(ctx, status, "message.jte", new MessageView(tenantName, title, message), Optional.empty());
    }

    static Optional<String> origin(String uri) {
        try {
            URI parsed = URI.create(uri);
            if (parsed.getScheme() == null || parsed.getHost() == null) {
                return Optional.ofNullable(parsed.getScheme()).map(scheme -> scheme + ":");
            }
            String origin = parsed.getScheme() + "://" + parsed.getHost() + (parsed.getPort() >= 0 ? ":" + parsed.getPort() : "");
            return Optional.of(origin);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
