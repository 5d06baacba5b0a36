package dev.portcullis.client;

import dev.portcullis.protocol.ParameterLimits;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which redirect URIs may be registered: absolute, no fragment, https, or http only on a loopback
 * host (RFC 8252 section 7.3), or an app's private-use scheme (section 7.1). Schemes a browser
 * would run or render in place (javascript:, data:, ...) are never allowed.
 */
public final class RedirectUris {

    private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "vbscript", "file", "about", "blob", "filesystem");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private RedirectUris() {
    }

    /** Why {@code uri} cannot be registered, or empty when it can. */
    public static Optional<String> problem(String uri) {
        if (uri.length() > ParameterLimits.URI) {
            return Optional.of("redirect URI is longer than " + ParameterLimits.URI + " characters, the most a request may send");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("redirect URI '" + uri + "' is not a valid URI");
        }
        if (!parsed.isAbsolute() || parsed.getFragment() != null) {
            return Optional.of("redirect URI '" + uri + "' must be absolute and have no #fragment");
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (FORBIDDEN_SCHEMES.contains(scheme)) {
            return Optional.of("redirect URI '" + uri + "' uses the " + scheme + ": scheme, which is never allowed");
        }
        if (scheme.equals("http") && (parsed.getHost() == null || !LOOPBACK_HOSTS.contains(parsed.getHost().toLowerCase(Locale.ROOT)))) {
            return Optional.of("redirect URI '" + uri + "' must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])");
        }
        if ((scheme.equals("https") || scheme.equals("http")) && parsed.getHost() == null) {
            return Optional.of("redirect URI '" + uri + "' has no host");
        }
        if (!scheme.equals("https") && !scheme.equals("http") && !scheme.contains(".")) {
            return Optional.of("redirect URI '" + uri + "': a native app's scheme must be a reverse domain name such as com.example.app (RFC 8252 7.1)");
        }
        return Optional.empty();
    }
}
