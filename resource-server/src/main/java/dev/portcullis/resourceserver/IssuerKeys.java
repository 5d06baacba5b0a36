package dev.portcullis.resourceserver;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One trusted issuer's signing keys: its metadata is read once, on the first token of that issuer, and gives
 * the {@code jwks_uri}; the key set is cached and fetched again when a token names a {@code kid} the cache
 * lacks, no more than twice per refetch interval (Nimbus' rate limiter), so forged kids cannot flood the issuer.
 */
final class IssuerKeys {

    private final String issuer;
    private final ResourceRetriever retriever;
    private final Duration cacheLifetime;
    private final Duration refetchInterval;
    private JWKSource<SecurityContext> keys;
    private String lastFailure;
    private long lastFailureAt;

    IssuerKeys(String issuer, ResourceRetriever retriever, Duration cacheLifetime, Duration refetchInterval) {
        this.issuer = issuer;
        this.retriever = retriever;
        this.cacheLifetime = cacheLifetime;
        this.refetchInterval = refetchInterval;
    }

    /** Keys given, not discovered: for an API that runs inside the issuer and reads its key set directly. */
    static IssuerKeys given(String issuer, JWKSource<SecurityContext> keys) {
        IssuerKeys given = new IssuerKeys(issuer, null, Duration.ZERO, Duration.ZERO);
        given.keys = keys;
        return given;
    }

    /** The issuer's key source, discovering it on first use; a failed discovery is retried once per refetch interval. */
    synchronized JWKSource<SecurityContext> source() throws IssuerUnavailableException {
        if (keys != null) {
            return keys;
        }
        long now = System.nanoTime();
        if (lastFailure != null && now - lastFailureAt < refetchInterval.toNanos()) {
            throw new IssuerUnavailableException(lastFailure, null);
        }
        try {
            URL jwksUri = discoverJwksUri();
            keys = keySource(jwksUri, retriever, cacheLifetime, refetchInterval);
            lastFailure = null;
            return keys;
        } catch (IssuerUnavailableException e) {
            lastFailure = e.getMessage();
            lastFailureAt = now;
            throw e;
        }
    }

    /**
     * Nimbus' cached, rate-limited key source. Building it fetches nothing, so {@link ResourceServer.Builder#build}
     * builds one for a placeholder URL to fail at start, not at the first token, on limits Nimbus refuses.
     */
    static JWKSource<SecurityContext> keySource(URL jwksUri, ResourceRetriever retriever, Duration cacheLifetime,
                                                Duration refetchInterval) {
        long ttl = cacheLifetime.toMillis();
        long refreshTimeout = Math.min(15_000, Math.max(1_000, ttl / 10));
        // refresh-ahead refetches a key set 30 s before it expires, so no request waits; short lifetimes go without
        boolean refreshAhead = ttl > JWKSourceBuilder.DEFAULT_REFRESH_AHEAD_TIME + refreshTimeout;
        return JWKSourceBuilder.create(jwksUri, retriever)
                .cache(ttl, refreshTimeout)
                .refreshAheadCache(refreshAhead)
                .rateLimited(refetchInterval.toMillis())
                .retrying(false)
                .build();
    }

    /** RFC 8414 section 3.1's well-known URL first, then OpenID Connect Discovery's. */
    static List<String> metadataUrls(String issuer) {
        URI uri = URI.create(issuer);
        String path = uri.getRawPath() == null || uri.getRawPath().equals("/") ? "" : uri.getRawPath();
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        String trimmed = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return List.of(origin + "/.well-known/oauth-authorization-server" + path, trimmed + "/.well-known/openid-configuration");
    }

    private URL discoverJwksUri() throws IssuerUnavailableException {
        List<String> failures = new ArrayList<>();
        for (String location : metadataUrls(issuer)) {
            try {
                Map<String, Object> metadata = JSONObjectUtils.parse(retriever.retrieveResource(new URL(location)).getContent());
                // RFC 8414 section 3.3: metadata naming another issuer must not be used
                if (!issuer.equals(metadata.get("issuer"))) {
                    failures.add(location + " names issuer " + metadata.get("issuer"));
                    continue;
                }
                Object jwksUri = metadata.get("jwks_uri");
                if (!(jwksUri instanceof String text)) {
                    failures.add(location + " has no jwks_uri");
                    continue;
                }
                TrustedIssuers.requireSafeScheme(text, "jwks_uri of " + issuer);
                return new URL(text);
            } catch (IOException | ParseException | IllegalArgumentException e) {
                failures.add(location + ": " + e.getMessage());
            }
        }
        throw new IssuerUnavailableException("the metadata of issuer " + issuer + " could not be read: "
                + String.join("; ", failures), null);
    }

    static URL placeholderUrl() {
        try {
            return new URL("https://keys.invalid/jwks");
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
