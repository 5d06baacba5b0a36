package dev.portcullis.web;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.client.Platform;
import dev.portcullis.store.LookupCache;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.tenant.Realm;
import io.javalin.http.Context;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which browser origins may call a tenant's token (and userinfo) endpoint: exactly the origins of the
 * redirect URIs registered for its spa clients. Computed per tenant and kept in the shared {@link LookupCache}.
 */
public final class CorsPolicy {

    private record OriginsKey(String tenantId) implements LookupCache.Key {
        @Override
        public long estimatedBytes() {
            return LookupCache.bytes(tenantId);
        }
    }

    private final ClientRepository clients;
    private final LookupCache cache;

    public CorsPolicy(ClientRepository clients, LookupCache cache) {
        this.clients = clients;
        this.cache = cache;
    }

    private Set<String> originsOf(OriginsKey key) {
        Set<String> origins = new LinkedHashSet<>();
        for (ClientApplication client : clients.list(key.tenantId())) {
            // native apps send token requests from their own process, not from a web page: no origin to allow
            if (client.platform() == Platform.SPA && client.enabled()) {
                client.redirectUris().forEach(uri -> origin(uri).ifPresent(origins::add));
            }
        }
        return Set.copyOf(origins);
    }

    public boolean allows(Realm realm, String origin) {
        return cache.get(new OriginsKey(realm.tenant().id()), this::originsOf, LookupCache::bytes).contains(origin);
    }

    /**
     * Adds the CORS response headers when the request comes from an allowed origin; {@code exposedHeaders} are
     * response headers the page's script may read.
     */
    public void decorate(Context ctx, Realm realm, String... exposedHeaders) {
        String origin = ctx.header("Origin");
        ctx.header("Vary", "Origin");
        if (origin != null && allows(realm, origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            if (exposedHeaders.length > 0) {
                ctx.header("Access-Control-Expose-Headers", String.join(", ", exposedHeaders));
            }
        }
    }

    /**
     * Answers a CORS preflight for an endpoint of {@code realm} that the tenant's single-page apps call from the browser:
     * their origins only, the Authorization, Content-Type and DPoP request headers.
     */
    public void preflight(Context ctx, Realm realm, String methods, String endpoint) {
        String origin = ctx.header("Origin");
        ctx.header("Vary", "Origin");
        if (origin == null || !allows(realm, origin)) {
            JsonResponses.error(ctx, OAuthError.ACCESS_DENIED, "origin " + (origin == null ? "(none)" : origin)
                    + " may not call this " + endpoint + "; register it as a redirect URI of an spa client");
            return;
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Allow-Methods", methods);
        ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, DPoP");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    static Optional<String> origin(String uri) {
        try {
            URI parsed = URI.create(uri);
            String scheme = parsed.getScheme();
            if (scheme == null || parsed.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                return Optional.empty();
            }
            int port = parsed.getPort();
            boolean defaultPort = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return Optional.of(scheme + "://" + parsed.getHost().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
