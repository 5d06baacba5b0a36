package dev.portcullis.resourceserver;

import com.nimbusds.jose.util.ResourceRetriever;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The issuers whose tokens an API accepts, each compared exactly as written, and their keys. */
final class TrustedIssuers {

    private final Map<String, IssuerKeys> issuers = new LinkedHashMap<>();

    TrustedIssuers(Collection<String> urls, ResourceRetriever retriever, Duration cacheLifetime, Duration refetchInterval) {
        for (String url : urls) {
            issuers.put(url, new IssuerKeys(url, retriever, cacheLifetime, refetchInterval));
        }
    }

    Optional<IssuerKeys> keys(String issuer) {
        return Optional.ofNullable(issuers.get(issuer));
    }

    Collection<String> urls() {
        return issuers.keySet();
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
