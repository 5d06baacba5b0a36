package dev.portcullis.cimd;

import dev.portcullis.protocol.ParameterLimits;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A client_id that names a Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document section 3):
 * https, a path, no dot segments, no fragment, no user name or password. This server is stricter where leniency
 * would let one client have several ids, or let an id look like one host and be another: no query string (the
 * draft says SHOULD NOT), printable ASCII only, and the host in its one canonical spelling, lowercase with no
 * trailing dot, so the host the allow-list and the consent page see is the host that is fetched.
 */
public record ClientIdUrl(String value, String host, URL url) {

    /** Host names as the tenants file's allowed_hosts spells them (LDH labels, lowercase); IPv4 literals match too. */
    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9a-f:.]+]");
    private static final Pattern DOT_SEGMENT = Pattern.compile("(?i)(\\.|%2e){1,2}");

    /** Thrown with the reason a client_id is not a usable metadata document URL. */
    static final class InvalidClientIdUrl extends Exception {
        InvalidClientIdUrl(String message) {
            super(message);
        }
    }

    static ClientIdUrl parse(String clientId) throws InvalidClientIdUrl {
        if (clientId.length() > ParameterLimits.IDENTIFIER) {
            throw invalid("it is longer than " + ParameterLimits.IDENTIFIER + " characters");
        }
        for (int i = 0; i < clientId.length(); i++) {
            char c = clientId.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                throw invalid("it may only hold printable ASCII characters, without spaces or backslashes");
            }
        }
        if (!clientId.startsWith("https://")) {
            throw invalid("it must be an https URL (starting with https://, in lowercase)");
        }
        if (clientId.indexOf('#') >= 0) {
            throw invalid("it must not have a fragment (#...)");
        }
        if (clientId.indexOf('?') >= 0) {
            throw invalid("it must not have a query string (?...)");
        }
        URI uri;
        try {
            uri = new URI(clientId);
        } catch (URISyntaxException e) {
            throw invalid("it is not a valid URL");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw invalid("it has no host");
        }
        if (authority.indexOf('@') >= 0) {
            throw invalid("it must not hold a user name or password (...@)");
        }
        String host = uri.getHost();
        if (host == null) {
            throw invalid("'" + authority + "' is not a valid host name");
        }
        if (!host.equals(host.toLowerCase(Locale.ROOT)) || host.endsWith(".")) {
            throw invalid("its host must be written in lowercase without a trailing dot, as '"
                    + host.toLowerCase(Locale.ROOT).replaceAll("\\.+$", "") + "'");
        }
        if (!HOST.matcher(host).matches() && !IPV6_LITERAL.matcher(host).matches()) {
            throw invalid("'" + host + "' is not a valid host name");
        }
        if (authority.endsWith(":") || uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw invalid("its port must be a number from 1 to 65535");
        }
        String path = uri.getRawPath();
        if (path == null || path.isEmpty()) {
            throw invalid("it must have a path, such as https://" + authority + "/client.json");
        }
        for (String segment : path.split("/", -1)) {
            if (DOT_SEGMENT.matcher(segment).matches()) {
                throw invalid("its path must not hold '.' or '..' segments");
            }
        }
        try {
            return new ClientIdUrl(clientId, host, uri.toURL());
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw invalid("it is not a valid URL");
        }
    }

    private static InvalidClientIdUrl invalid(String reason) {
        return new InvalidClientIdUrl(reason);
    }
}
