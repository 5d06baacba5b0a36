package dev.portcullis.dpop;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The URL a proof's {@code htu} must name: this server's public URL of the endpoint, never the Host header,
 * which a proxy or a caller can change. RFC 9449 section 4.3 asks servers to compare after syntax- and
 * scheme-based normalization (RFC 3986 sections 6.2.2 and 6.2.3), while Nimbus compares strings; so a claim
 * that differs only in the case of scheme or host, an explicit default port, an empty path or the case of
 * percent-escapes is matched here, and then handed to Nimbus as the URL it compares with.
 */
final class ProofTarget {

    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%[0-9a-fA-F]{2}");

    private ProofTarget() {
    }

    /** The URL to hand Nimbus for a proof claiming {@code htu}: the claim itself where it names {@code expected}. */
    static URI comparedWith(Object htu, URI expected) {
        if (htu instanceof String claimed && !claimed.equals(expected.toString()) && sameResource(claimed, expected)) {
            return URI.create(claimed);
        }
        return expected;
    }

    static boolean sameResource(String claimed, URI expected) {
        URI uri;
        try {
            uri = new URI(claimed);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            return false;
        }
        return uri.getScheme().equalsIgnoreCase(expected.getScheme())
                && uri.getHost().toLowerCase(Locale.ROOT).equals(expected.getHost().toLowerCase(Locale.ROOT))
                && port(uri) == port(expected)
                && path(uri).equals(path(expected));
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : uri.getScheme().equalsIgnoreCase("http") ? 80 : -1;
    }

    private static String path(URI uri) {
        String raw = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Matcher escape = PERCENT_ESCAPE.matcher(raw);
        StringBuilder normalized = new StringBuilder();
        while (escape.find()) {
            escape.appendReplacement(normalized, escape.group().toUpperCase(Locale.ROOT));
        }
        return escape.appendTail(normalized).toString();
    }
}
