package dev.portcullis.web;

import io.javalin.http.Context;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which client a request comes from, for rate limits and logs. The socket peer is the client
 * unless it is a trusted proxy; only then are {@code X-Forwarded-For} (or, without it,
 * {@code Forwarded}) hops read, right to left, skipping trusted ones. Every proxy appends what it
 * saw, so the first untrusted hop from the right is the nearest address nobody could forge.
 * Garbage stops the walk at the last address known good; nothing here throws on header content.
 */
public final class ClientAddress {

    /** Enough for any real proxy chain; the left part of a longer header is client-written anyway. */
    static final int MOST_HOPS = 20;
    static final int MOST_HEADER_CHARS = 4096;

    private final TrustedProxies trusted;

    public ClientAddress(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /** The client's address as text (IPv6 in full form), e.g. for logs. */
    public String of(Context ctx) {
        return resolve(ctx.ip(), ctx.req().getHeaders("X-Forwarded-For"), ctx.req().getHeaders("Forwarded"));
    }

    /** The key to count a client's requests under: its address, or for IPv6 its /64, which one subscriber usually holds whole. */
    public String throttleKeyOf(Context ctx) {
        return throttleKey(of(ctx));
    }

    String resolve(String socketAddress, java.util.Enumeration<String> forwardedFor, java.util.Enumeration<String> forwarded) {
        return resolve(socketAddress, list(forwardedFor), list(forwarded));
    }

    String resolve(String socketAddress, List<String> forwardedFor, List<String> forwarded) {
        Optional<InetAddress> socket = IpLiterals.parse(socketAddress);
        if (socket.isEmpty()) {
            return printable(socketAddress);
        }
        InetAddress current = socket.get();
        if (!trusted.contains(current)) {
            return current.getHostAddress();
        }
        // X-Forwarded-For is what nearly every load balancer writes; a client-sent Forwarded must not win over it.
        List<String> hops = forwardedFor.isEmpty() ? forwardedHops(forwarded) : forwardedForHops(forwardedFor);
        for (int i = hops.size() - 1; i >= Math.max(0, hops.size() - MOST_HOPS); i--) {
            Optional<InetAddress> hop = parseHop(hops.get(i));
            if (hop.isEmpty()) {
                break;
            }
            current = hop.get();
            if (!trusted.contains(current)) {
                break;
            }
        }
        return current.getHostAddress();
    }

    public static String throttleKey(String address) {
        Optional<InetAddress> parsed = IpLiterals.parse(address);
        if (parsed.isEmpty() || !(parsed.get() instanceof Inet6Address)) {
            return parsed.map(InetAddress::getHostAddress).orElse(printable(address));
        }
        byte[] bytes = parsed.get().getAddress();
        StringBuilder prefix = new StringBuilder();
        for (int group = 0; group < 4; group++) {
            prefix.append(Integer.toHexString(((bytes[2 * group] & 0xFF) << 8) | (bytes[2 * group + 1] & 0xFF))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    private static List<String> forwardedForHops(List<String> headers) {
        List<String> hops = new ArrayList<>();
        for (String element : tail(String.join(",", headers)).split(",")) {
            hops.add(element.trim());
        }
        return hops;
    }

    /**
     * RFC 7239 elements, e.g. {@code for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"}. Commas
     * inside quotes are not honoured: node names never contain one, and ignoring quotes keeps a
     * client's unbalanced quote from swallowing the hops proxies appended after it.
     */
    private static List<String> forwardedHops(List<String> headers) {
        List<String> hops = new ArrayList<>();
        for (String element : tail(String.join(",", headers)).split(",")) {
            String node = "";
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                    node = pair.substring(eq + 1).trim();
                }
            }
            hops.add(node);
        }
        return hops;
    }

    /** A hop without its port and quotes; {@code unknown}, obfuscated ids ({@code _x}) and junk parse to nothing. */
    static Optional<InetAddress> parseHop(String hop) {
        String node = hop.trim();
        if (node.length() >= 2 && node.startsWith("\"") && node.endsWith("\"")) {
            node = node.substring(1, node.length() - 1).trim();
        }
        if (node.startsWith("[")) {
            int close = node.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            String rest = node.substring(close + 1);
            if (!rest.isEmpty() && !rest.matches(":\\d{1,5}")) {
                return Optional.empty();
            }
            node = node.substring(0, close + 1);
        } else if (node.indexOf(':') >= 0 && node.indexOf(':') == node.lastIndexOf(':')) {
            // one colon: IPv4 with a port (a bare IPv6 address has at least two)
            String port = node.substring(node.indexOf(':') + 1);
            if (!port.matches("\\d{1,5}")) {
                return Optional.empty();
            }
            node = node.substring(0, node.indexOf(':'));
        }
        return IpLiterals.parse(node);
    }

    private static String tail(String header) {
        return header.length() <= MOST_HEADER_CHARS ? header : header.substring(header.length() - MOST_HEADER_CHARS);
    }

    private static List<String> list(java.util.Enumeration<String> values) {
        return values == null ? List.of() : Collections.list(values);
    }

    /** The socket address should always parse; if it ever does not, keep keys and logs short and clean. */
    private static String printable(String value) {
        String text = value == null ? "unknown" : value.replaceAll("[^0-9A-Za-z:.\\[\\]%_-]", "_");
        return text.length() > 64 ? text.substring(0, 64) : text;
    }
}
