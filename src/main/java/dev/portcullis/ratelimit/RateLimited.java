package dev.portcullis.ratelimit;

import dev.portcullis.protocol.OAuthError;
import dev.portcullis.web.JsonResponses;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON answer to a request over a rate limit: 429 with {@code Retry-After} and an RFC 6749 error body.
 * RFC 6749 has no error code for a rate limit ({@code slow_down} is RFC 8628's, for device-flow polling only);
 * {@code temporarily_unavailable} says "try again later", which the status, the header and the description spell
 * out, and is what the anonymous-customer endpoint already answers.
 */
public final class RateLimited extends RuntimeException {

    private final RequestRateLimits.Kind kind;
    private final String tenantId;
    private final long retryAfterSeconds;

    public RateLimited(RequestRateLimits.Kind kind, String tenantId, long retryAfterSeconds) {
        super(null, null, false, false);
        this.kind = kind;
        this.tenantId = tenantId;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public void write(Context ctx) {
        JsonResponses.noStore(ctx);
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", OAuthError.TEMPORARILY_UNAVAILABLE.code());
        body.put("error_description", "too many " + kind.description() + " for tenant " + tenantId + "; try again in "
                + retryAfterSeconds + " seconds");
        JsonResponses.write(ctx, 429, body);
    }
}
