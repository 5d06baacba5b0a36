package dev.portcullis.client;

import dev.portcullis.protocol.ParameterLimits;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which redirect URIs may be registered, and which requested ones match them.
 *
 * <p>Web and spa clients: absolute, no fragment, https, or http only on a loopback host, or a
 * private-use scheme containing a '.'; matched exactly. Native clients follow RFC 8252: https, a
 * loopback IP literal ({@code http://127.0.0.1/...}, {@code http://[::1]/...}, matched with any
 * port, section 7.3) or a reverse-domain private-use scheme (section 7.1). Schemes a browser would
 * run or render in place (javascript:, data:, ...) are never allowed.
 */
public final class RedirectUris {

    private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "vbscript", "file", "about", "blob", "filesystem");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    /** A reverse domain name: two or more labels, e.g. com.example.app (RFC 8252 7.1). */
    private static final Pattern REVERSE_DOMAIN = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z0-9-]+)+");
    /** A native loopback redirect: the IP literal, an optional port, then the path and query that must match exactly. */
    private static final Pattern LOOPBACK = Pattern.compile("http://(127\\.0\\.0\\.1|\\[::1\\])(?::([0-9]{1,5}))?([/?].*)?");

    private RedirectUris() {
    }

    /** Why {@code uri} cannot be registered for a client of {@code platform}, or empty when it can. */
    public static Optional<String> problem(String uri, Platform platform) {
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
        if (platform == Platform.NATIVE) {
            return nativeProblem(uri, parsed, scheme);
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

    private static Optional<String> nativeProblem(String uri, URI parsed, String scheme) {
        if (scheme.equals("https")) {
            return parsed.getHost() == null ? Optional.of("redirect URI '" + uri + "' has no host") : Optional.empty();
        }
        if (scheme.equals("http")) {
            String host = parsed.getHost() == null ? "" : parsed.getHost().toLowerCase(Locale.ROOT);
            if (host.equals("localhost")) {
                return Optional.of("redirect URI '" + uri + "': a native app's loopback redirect must use the IP literal "
                        + "http://127.0.0.1/... or http://[::1]/..., not localhost, which may resolve elsewhere (RFC 8252 8.3)");
            }
            Matcher loopback = LOOPBACK.matcher(uri);
            if (!loopback.matches() || parsed.getUserInfo() != null || !validPort(loopback.group(2))) {
                return Optional.of("redirect URI '" + uri + "': a native app's http redirect must be the loopback address "
                        + "http://127.0.0.1/... or http://[::1]/... (any port is accepted when it signs in; RFC 8252 7.3)");
            }
            return Optional.empty();
        }
        if (!REVERSE_DOMAIN.matcher(scheme).matches()) {
            return Optional.of("redirect URI '" + uri + "': a native app's private-use scheme must be a reverse domain name "
                    + "such as com.example.app, as in com.example.app:/callback (RFC 8252 7.1)");
        }
        return Optional.empty();
    }

    /**
     * Whether {@code requested} is one of {@code registered}: exactly, or for a native client's
     * loopback redirect with any port, as RFC 8252 section 7.3 asks, since the app picks a free
     * port when it starts. Scheme, address, path and query must still match exactly.
     */
    public static boolean matches(List<String> registered, String requested, Platform platform) {
        if (registered.contains(requested)) {
            return true;
        }
        if (platform != Platform.NATIVE) {
            return false;
        }
        Matcher asked = LOOPBACK.matcher(requested);
        if (!asked.matches() || !validPort(asked.group(2))) {
            return false;
        }
        for (String uri : registered) {
            Matcher allowed = LOOPBACK.matcher(uri);
            if (allowed.matches() && allowed.group(1).equals(asked.group(1))
                    && nullToEmpty(allowed.group(3)).equals(nullToEmpty(asked.group(3)))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a redirect URI is plain http to this machine: 127.0.0.1, [::1] or localhost, on any port. */
    public static boolean isLoopback(String uri) {
        if (!uri.regionMatches(true, 0, "http://", 0, 7)) {
            return false;
        }
        try {
            String host = new URI(uri).getHost();
            return host != null && LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Whether a redirect URI can only be received by the app it was registered for (RFC 8252 8.6): https only. */
    public static boolean provesClientIdentity(String uri) {
        return uri.regionMatches(true, 0, "https://", 0, 8);
    }

    private static boolean validPort(String port) {
        if (port == null) {
            return true;
        }
        int number = Integer.parseInt(port);
        return number >= 1 && number <= 65_535;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
