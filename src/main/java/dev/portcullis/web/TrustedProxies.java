package dev.portcullis.web;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks whose forwarding headers are believed (the {@code trusted_proxies} setting).
 * Empty by default: then no header can change which address a request is throttled under.
 */
public final class TrustedProxies {

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    /** One network, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is its own /32 or /128. */
    public record Cidr(InetAddress network, int prefixLength) {

        public boolean contains(InetAddress address) {
            byte[] net = network.getAddress();
            byte[] candidate = address.getAddress();
            if (net.length != candidate.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (net[i] != candidate[i]) {
                    return false;
                }
            }
            int restBits = prefixLength % 8;
            if (restBits == 0) {
                return true;
            }
            int mask = (0xFF << (8 - restBits)) & 0xFF;
            return (net[fullBytes] & mask) == (candidate[fullBytes] & mask);
        }

        @Override
        public String toString() {
            return network.getHostAddress() + "/" + prefixLength;
        }
    }

    private final List<Cidr> networks;

    private TrustedProxies(List<Cidr> networks) {
        this.networks = List.copyOf(networks);
    }

    /**
     * Parses a comma-separated list of CIDRs; an {@link IllegalArgumentException} names the first bad
     * entry. Entries with bits set past the prefix are refused rather than masked, since
     * {@code 10.1.2.3/8} is more likely a typo than a wish to trust all of 10/8.
     */
    public static TrustedProxies parse(String commaSeparated) {
        List<Cidr> networks = new ArrayList<>();
        for (String raw : commaSeparated.split(",")) {
            String entry = raw.trim();
            if (!entry.isEmpty()) {
                networks.add(cidr(entry));
            }
        }
        return new TrustedProxies(networks);
    }

    private static Cidr cidr(String entry) {
        int slash = entry.indexOf('/');
        String addressPart = slash < 0 ? entry : entry.substring(0, slash);
        InetAddress address = IpLiterals.parse(addressPart).orElseThrow(() ->
                new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR (host names are not accepted)"));
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixPart = entry.substring(slash + 1);
            if (!prefixPart.matches("\\d{1,3}") || Integer.parseInt(prefixPart) > bits) {
                throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0 to " + bits);
            }
            prefix = Integer.parseInt(prefixPart);
        }
        Cidr cidr = new Cidr(address, prefix);
        Cidr masked = new Cidr(mask(address, prefix), prefix);
        if (!masked.network().equals(address)) {
            throw new IllegalArgumentException("'" + entry + "' has address bits set past /" + prefix + "; did you mean " + masked + "?");
        }
        return cidr;
    }

    static InetAddress mask(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return IpLiterals.fromBytes(bytes);
    }

    public boolean contains(InetAddress address) {
        return networks.stream().anyMatch(network -> network.contains(address));
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    public List<Cidr> networks() {
        return networks;
    }

    @Override
    public String toString() {
        return networks.isEmpty() ? "none" : String.join(", ", networks.stream().map(Cidr::toString).toList());
    }
}
