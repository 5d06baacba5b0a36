package dev.portcullis.resourceserver;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The issuers whose tokens an API accepts, each compared exactly as written, and their keys: a fixed list, or,
 * for an API serving many tenants, every issuer a predicate accepts, with the keys of the most recently used
 * ones kept (at most {@code maxIssuers}, so tokens naming ever new issuers cannot grow memory).
 */
final class TrustedIssuers {

    private final Map<String, IssuerKeys> fixed = new LinkedHashMap<>();
    private final Predicate<String> accepted;
    private final Function<String, IssuerKeys> keysOf;
    private final Map<String, IssuerKeys> recent;

    TrustedIssuers(Collection<String> urls, Predicate<String> accepted, int maxIssuers, Function<String, IssuerKeys> keysOf) {
        this.accepted = accepted;
        this.keysOf = keysOf;
        for (String url : urls) {
            fixed.put(url, keysOf.apply(url));
        }
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, IssuerKeys> eldest) {
                return size() > maxIssuers;
            }
        };
    }

    Optional<IssuerKeys> keys(String issuer) {
        IssuerKeys keys = fixed.get(issuer);
        if (keys != null) {
            return Optional.of(keys);
        }
        // the predicate runs on every token, so an issuer it stops accepting (a disabled tenant) is refused at once
        if (accepted == null || !accepted.test(issuer)) {
            return Optional.empty();
        }
        synchronized (recent) {
            return Optional.of(recent.computeIfAbsent(issuer, keysOf));
        }
    }

    /**
     * An issuer URL as RFC 8414 section 2 wants it: https with no query or fragment; http only on a loopback
     * address, where nobody between the API and the issuer can swap the keys.
     */
    static String validatedIssuer(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("issuer " + url + " is not a URL", e);
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("issuer " + url + " must be an absolute URL without query or fragment");
        }
        requireSafeScheme(url, "issuer");
        return url;
    }

    static void requireSafeScheme(String url, String what) {
        URI uri = URI.create(url);
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return;
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException(what + " " + url + " must use https (http only on a loopback address)");
        }
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        // only literals: a name could resolve elsewhere tomorrow
        if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
