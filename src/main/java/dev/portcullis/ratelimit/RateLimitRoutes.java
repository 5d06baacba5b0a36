package dev.portcullis.ratelimit;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import dev.portcullis.signin.HtmlPages;
import dev.portcullis.signin.UnavailablePages;
import dev.portcullis.store.StoreException;
import dev.portcullis.tenant.RateLimitPolicy;
import dev.portcullis.tenant.Realm;
import dev.portcullis.web.ClientAddress;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.ToIntFunction;

/**
 * The tenants' per-address rate limits on the token, authorize and login endpoints, checked before the endpoint
 * does any work (README, Reliability). The per-client token limit is checked by the token endpoint once the
 * client has authenticated, so nobody can use up another client's allowance by sending its client_id.
 * Addresses are {@link ClientAddress}'s: {@code X-Forwarded-For} counts only from {@code trusted_proxies}.
 */
public final class RateLimitRoutes implements Feature {

    private final Core core;
    private final UnavailablePages pages;

    public RateLimitRoutes(Core core) {
        this.core = core;
        this.pages = new UnavailablePages(new HtmlPages(), core.tenants());
    }

    @Override
    public void routes(Javalin app, String realmBase) {
        app.before(realmBase + "/oauth2/token", ctx -> {
            if (ctx.method() == HandlerType.POST) {
                check(ctx, RequestRateLimits.Kind.TOKEN_PER_ADDRESS, RateLimitPolicy::tokenPerAddress)
                        .ifPresent(refused -> respond(ctx, refused::write));
            }
        });
        app.before(realmBase + "/oauth2/authorize", ctx -> {
            if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.POST) {
                check(ctx, RequestRateLimits.Kind.AUTHORIZE_PER_ADDRESS, RateLimitPolicy::authorizePerAddress)
                        .ifPresent(refused -> respond(ctx, c -> pages.tooManyRequests(c, refused.retryAfterSeconds())));
            }
        });
        app.before(realmBase + "/login", ctx -> {
            if (ctx.method() == HandlerType.POST) {
                check(ctx, RequestRateLimits.Kind.LOGIN_PER_ADDRESS, RateLimitPolicy::loginPerAddress)
                        .ifPresent(refused -> respond(ctx, c -> pages.tooManyRequests(c, refused.retryAfterSeconds())));
            }
        });
    }

    private Optional<RateLimited> check(Context ctx, RequestRateLimits.Kind kind, ToIntFunction<RateLimitPolicy> limit) {
        Optional<Realm> realm;
        try {
            realm = core.tenants().realm(ctx.pathParam("realm"));
        } catch (StoreException e) {
            return Optional.empty();   // the endpoint itself answers 503; a limit must not turn that into something else
        }
        if (realm.isEmpty()) {
            return Optional.empty();   // the endpoint answers an unknown realm
        }
        String tenantId = realm.get().tenant().id();
        int perMinute = limit.applyAsInt(realm.get().tenant().rateLimits());
        if (perMinute <= 0) {
            return Optional.empty();   // off (the default): the token path pays for no address parsing
        }
        OptionalLong wait = core.rateLimits().take(tenantId, kind, core.clientAddress().throttleKeyOf(ctx), perMinute);
        return wait.isPresent() ? Optional.of(new RateLimited(kind, tenantId, wait.getAsLong())) : Optional.empty();
    }

    private void respond(Context ctx, java.util.function.Consumer<Context> writer) {
        core.metrics().error("rate_limited");
        writer.accept(ctx);
        dev.portcullis.web.WrittenResponses.mark(ctx);
        ctx.skipRemainingHandlers();
    }

    /** The per-client token limit, for the token endpoint to call once the client has authenticated. */
    public static void checkClient(RequestRateLimits limits, Realm realm, String clientId) {
        String tenantId = realm.tenant().id();
        OptionalLong wait = limits.take(tenantId, RequestRateLimits.Kind.TOKEN_PER_CLIENT, clientId,
                realm.tenant().rateLimits().tokenPerClient());
        if (wait.isPresent()) {
            throw new RateLimited(RequestRateLimits.Kind.TOKEN_PER_CLIENT, tenantId, wait.getAsLong());
        }
    }
}
