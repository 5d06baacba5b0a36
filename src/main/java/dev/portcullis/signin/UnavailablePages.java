package dev.portcullis.signin;

import dev.portcullis.store.StoreException;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.TenantDirectory;
import dev.portcullis.web.DatabaseUnavailable;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The sign-in pages' answer when a request cannot be served now: a person reads an HTML page with
 * 503 or 429 and {@code Retry-After}, where the token endpoint answers RFC 6749 JSON.
 */
public final class UnavailablePages {

    private static final Logger LOG = LoggerFactory.getLogger(UnavailablePages.class);

    private final HtmlPages pages;
    private final TenantDirectory tenants;

    public UnavailablePages(HtmlPages pages, TenantDirectory tenants) {
        this.pages = pages;
        this.tenants = tenants;
    }

    /** {@code handler}, except that a database it cannot reach gives the "try again shortly" page. */
    Handler whenAvailable(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (StoreException e) {
                DatabaseUnavailable.log(LOG, ctx, e);
                ctx.header("Retry-After", String.valueOf(DatabaseUnavailable.RETRY_AFTER_SECONDS));
                pages.message(ctx, 503, tenantName(ctx), "Temporarily unavailable",
                        "Sign-in is temporarily unavailable. Try again in a few seconds.");
            }
        };
    }

    /** A rate limit refused the request: 429, with how long to wait in the page and in {@code Retry-After}. */
    public void tooManyRequests(Context ctx, long retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        pages.message(ctx, 429, tenantName(ctx), "Too many requests",
                "Too many requests from your network. Try again in " + retryAfterSeconds + " seconds.");
    }

    /** The tenant's name when it is at hand (cached, or the database answers); a neutral one otherwise. */
    private String tenantName(Context ctx) {
        try {
            return Optional.ofNullable(ctx.pathParamMap().get("realm")).flatMap(tenants::realm)
                    .map(Realm::tenant).map(tenant -> tenant.name()).orElse("Sign-in");
        } catch (StoreException e) {
            return "Sign-in";
        }
    }
}
