package dev.portcullis.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Classifies the addresses an outbound fetch would reach, so a URL someone else chose cannot turn the server
 * into a probe of its own network (SSRF). What each kind may reach is the fetch's {@link SafeFetcher.Policy}:
 * identity providers an operator registered may be on loopback, and on a private network when the registration
 * says so; client metadata documents, whose URLs any stranger sends, only on public addresses.
 */
public final class NetworkAddresses {

    public enum Kind {
        /** 127.0.0.0/8 and ::1. */
        LOOPBACK,
        /** RFC 1918, link-local, CGNAT, unique-local, site-local, unspecified, multicast, reserved and similar. */
        PRIVATE,
        PUBLIC
    }

    private NetworkAddresses() {
    }

    public static Kind classify(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Kind.LOOPBACK;
        }
        if (address instanceof Inet4Address) {
            return classify4(address.getAddress());
        }
        byte[] b = address.getAddress();
        // Addresses that carry an IPv4 address inside (NAT64 64:ff9b::/96, 6to4 2002::/16, IPv4-compatible ::/96)
        // reach that IPv4 address, so they are what it is.
        if (startsWith(b, 0x00, 0x64, 0xff, 0x9b) && allZero(b, 4, 12)) {
            return classify4(slice(b, 12));
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return classify4(slice(b, 2));
        }
        if (allZero(b, 0, 12)) {
            return allZero(b, 12, 16) ? Kind.PRIVATE : classify4(slice(b, 12));
        }
        int first = b[0] & 0xff;
        if ((first & 0xfe) == 0xfc                                   // fc00::/7 unique local
                || first == 0xfe && (b[1] & 0xc0) == 0x80              // fe80::/10 link local
                || first == 0xfe && (b[1] & 0xc0) == 0xc0              // fec0::/10 site local (deprecated)
                || first == 0xff                                       // multicast
                || startsWith(b, 0x20, 0x01, 0x0d, 0xb8)) {            // 2001:db8::/32 documentation
            return Kind.PRIVATE;
        }
        return address instanceof Inet6Address && ((Inet6Address) address).isIPv4CompatibleAddress() ? Kind.PRIVATE : Kind.PUBLIC;
    }

    private static Kind classify4(byte[] b) {
        int a = b[0] & 0xff;
        int c = b[1] & 0xff;
        if (a == 127) {
            return Kind.LOOPBACK;
        }
        boolean internal = a == 0                                  // "this network"; 0.0.0.0 reaches the local host
                || a == 10                                         // RFC 1918
                || a == 100 && (c & 0xc0) == 64                    // 100.64.0.0/10 carrier-grade NAT
                || a == 169 && c == 254                            // link local, cloud metadata services
                || a == 172 && (c & 0xf0) == 16                    // RFC 1918
                || a == 192 && c == 168                            // RFC 1918
                || a == 192 && c == 0 && (b[2] & 0xff) == 0        // 192.0.0.0/24 IETF protocol assignments
                || a == 192 && c == 0 && (b[2] & 0xff) == 2        // TEST-NET-1
                || a == 198 && (c & 0xfe) == 18                   // 198.18.0.0/15 benchmarking
                || a == 198 && c == 51 && (b[2] & 0xff) == 100     // TEST-NET-2
                || a == 203 && c == 0 && (b[2] & 0xff) == 113      // TEST-NET-3
                || a >= 224;                                       // multicast, reserved, broadcast
        return internal ? Kind.PRIVATE : Kind.PUBLIC;
    }

    /** Whether an identity provider's fetch may connect to this address under its registration's setting. */
    public static boolean allowed(InetAddress address, boolean allowPrivateNetwork) {
        return switch (classify(address)) {
            case LOOPBACK, PUBLIC -> true;
            case PRIVATE -> allowPrivateNetwork;
        };
    }

    /** localhost or a loopback literal, judged without DNS: the only hosts plain http may reach. */
    public static boolean isLoopbackHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] slice(byte[] b, int from) {
        return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
    }
}
