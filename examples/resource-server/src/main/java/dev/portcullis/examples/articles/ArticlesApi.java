package dev.portcullis.examples.articles;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.portcullis.resourceserver.AccessRule;
import dev.portcullis.resourceserver.AccessToken;
import dev.portcullis.resourceserver.ActorType;
import dev.portcullis.resourceserver.JavalinBearerAuth;
import dev.portcullis.resourceserver.ResourceServer;
import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A knowledge-base API with one operation, {@code GET /api/v1/articles}, which eGain would document as:
 * actor types user (scope knowledge.portalmgr.read) and client_on_behalf_of_user (scope
 * knowledge.portalmgr.onbehalfof.read). It trusts the demo tenant's user realm of {@code ./portcullis serve}.
 * <p>
 * Environment: {@code ISSUER} (default the demo tenant's -U realm at http://127.0.0.1:8080), {@code AUDIENCE}
 * (Portcullis' api_url, default http://127.0.0.1:8080), {@code PORT} (default 8081).
 */
public final class ArticlesApi {

    public static final String DEMO_ISSUER = "http://127.0.0.1:8080/system/auth/TMPRODB88619984-U";
    public static final String DEMO_AUDIENCE = "http://127.0.0.1:8080";

    static final AccessRule READ_ARTICLES = AccessRule.allow(ActorType.USER, "knowledge.portalmgr.read")
            .and(ActorType.CLIENT_ON_BEHALF_OF_USER, "knowledge.portalmgr.onbehalfof.read");

    private static final List<Map<String, Object>> ARTICLES = List.of(
            Map.of("id", "1", "title", "Resetting your password"),
            Map.of("id", "2", "title", "Where is my order?"));

    private ArticlesApi() {
    }

    public static void main(String[] args) {
        String issuer = setting("ISSUER", DEMO_ISSUER);
        String audience = setting("AUDIENCE", DEMO_AUDIENCE);
        int port = Integer.parseInt(setting("PORT", "8081"));
        Javalin app = start(issuer, audience, port);
        System.out.println("Articles API on http://127.0.0.1:" + app.port() + "/api/v1/articles, trusting " + issuer);
    }

    /** Starts the API on 127.0.0.1 ({@code port} 0: any free port). */
    public static Javalin start(String issuer, String audience, int port) {
        ResourceServer tokens = ResourceServer.builder().trustIssuer(issuer).audience(audience).build();
        Javalin app = Javalin.create(config -> config.showJavalinBanner = false);
        app.get("/api/v1/articles", JavalinBearerAuth.protect(tokens, READ_ARTICLES, ctx -> {
            AccessToken caller = JavalinBearerAuth.token(ctx);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("caller", Map.of("sub", caller.subject(), "actor_type", caller.actorType().claim(),
                    "client_id", caller.clientId()));
            body.put("articles", ARTICLES);
            ctx.contentType("application/json").result(JSONObjectUtils.toJSONString(body));
        }));
        return app.start("127.0.0.1", port);
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
