package dev.portcullis.exchange;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.Resource;
import dev.portcullis.net.SafeFetcher;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each registered provider's signing keys, from its jwks_uri or, without one, from the jwks_uri in its
 * metadata. Nimbus keeps each key set for five minutes and refetches it at once when a token names a
 * key it does not have (a rotation at the provider), but at most twice in {@link #REFETCH_WINDOW_MILLIS}.
 * Sources are kept per registration, at most {@link #MAXIMUM_PROVIDERS}, and all dropped when the
 * configuration changes.
 */
final class ProviderKeys {

    static final long CACHE_MILLIS = 5 * 60 * 1000;
    static final long REFETCH_WINDOW_MILLIS = 10_000;
    static final int MAXIMUM_PROVIDERS = 1_000;

    private final Cache<IdentityProvider, JWKSource<SecurityContext>> sources =
            Caffeine.newBuilder().maximumSize(MAXIMUM_PROVIDERS).build();

    /** The provider's key source; discovering its jwks_uri first if needed, which may fail (and is retried next time). */
    JWKSource<SecurityContext> source(IdentityProvider provider) throws KeySourceException {
        JWKSource<SecurityContext> cached = sources.getIfPresent(provider);
        if (cached != null) {
            return cached;
        }
        ProviderFetcher fetcher = new ProviderFetcher(provider.allowPrivateNetwork());
        URL jwksUrl = url(provider.jwksUri().isPresent() ? provider.jwksUri().get() : discoverJwksUri(provider, fetcher));
        JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(jwksUrl, fetcher)
                // a thread waiting for another's fetch gives up after the longest a fetch may take
                .cache(CACHE_MILLIS, ProviderFetcher.TOTAL_TIMEOUT_MILLIS + 1_000)
                .rateLimited(REFETCH_WINDOW_MILLIS)
                .refreshAheadCache(false)
                .retrying(false)
                .outageTolerant(false)
                .build();
        return sources.asMap().computeIfAbsent(provider, p -> source);
    }

    void invalidateAll() {
        sources.invalidateAll();
    }

    /**
     * OpenID discovery ({issuer}/.well-known/openid-configuration), then RFC 8414 section 3.1
     * (/.well-known/oauth-authorization-server{path}). The document must name the registered issuer
     * (RFC 8414 section 3.3), or anyone serving a document there could point us at their keys.
     */
    private static String discoverJwksUri(IdentityProvider provider, ProviderFetcher fetcher) throws KeySourceException {
        String issuer = provider.issuer().endsWith("/") ? provider.issuer().substring(0, provider.issuer().length() - 1)
                : provider.issuer();
        URI issuerUri = URI.create(issuer);
        String origin = issuerUri.getScheme() + "://" + issuerUri.getRawAuthority();
        String path = issuerUri.getRawPath() == null ? "" : issuerUri.getRawPath();
        List<String> problems = new ArrayList<>();
        for (String candidate : List.of(issuer + "/.well-known/openid-configuration",
                origin + "/.well-known/oauth-authorization-server" + path)) {
            Resource document;
            try {
                document = fetcher.retrieveResource(url(candidate));
            } catch (IOException e) {
                problems.add(e.getMessage());
                if (!(e instanceof SafeFetcher.FetchException failed)
                        || failed.reason() != SafeFetcher.Reason.STATUS && failed.reason() != SafeFetcher.Reason.REDIRECT) {
                    break; // the host itself is unreachable, slow or refused: the second URL is on the same host
                }
                continue;
            }
            Map<String, Object> metadata;
            try {
                metadata = JSONObjectUtils.parse(document.getContent());
            } catch (ParseException e) {
                problems.add(candidate + " is not a JSON object");
                continue;
            }
            Object named = metadata.get("issuer");
            if (!provider.issuer().equals(named)) {
                problems.add(candidate + " names issuer '" + named + "', not the registered '" + provider.issuer() + "'");
                continue;
            }
            Optional<String> jwksUri = Optional.ofNullable(metadata.get("jwks_uri")).map(Object::toString);
            if (jwksUri.isEmpty()) {
                problems.add(candidate + " has no jwks_uri");
                continue;
            }
            Optional<String> problem = RegistrationRules.urlProblem("jwks_uri", jwksUri.get());
            if (problem.isPresent()) {
                problems.add(candidate + ": " + problem.get());
                continue;
            }
            return jwksUri.get();
        }
        throw new KeySourceException("the keys' location could not be discovered from the issuer's metadata ("
                + String.join("; ", problems) + "); set jwks_uri on the registration");
    }

    private static URL url(String value) throws KeySourceException {
        try {
            return URI.create(value).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new KeySourceException("'" + value + "' is not a URL");
        }
    }
}
