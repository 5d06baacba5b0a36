package dev.portcullis.admin;

import dev.portcullis.tenant.LoginThrottlePolicy;
import org.yaml.snakeyaml.nodes.Node;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A tenant's {@code login_throttle:} mapping; keys left out keep {@link LoginThrottlePolicy#DEFAULT}'s values. */
final class LoginThrottleSection {

    private static final Set<String> KEYS = Set.of("account_free_failures", "account_max_delay_seconds",
            "address_free_failures", "address_max_delay_seconds", "window_seconds");
    private static final int LONGEST_DELAY_SECONDS = 86_400;

    private LoginThrottleSection() {
    }

    static LoginThrottlePolicy read(TenantsFileParser parser, Node node) {
        Map<String, Node> fields = parser.mapping(node, KEYS, "login_throttle");
        LoginThrottlePolicy defaults = LoginThrottlePolicy.DEFAULT;
        int accountFree = number(parser, fields, "account_free_failures", 1, 1000, defaults.accountFreeFailures());
        int accountDelay = number(parser, fields, "account_max_delay_seconds", 1, LONGEST_DELAY_SECONDS,
                defaults.accountMaxDelaySeconds());
        int addressFree = number(parser, fields, "address_free_failures", 1, 1_000_000, defaults.addressFreeFailures());
        int addressDelay = number(parser, fields, "address_max_delay_seconds", 1, LONGEST_DELAY_SECONDS,
                defaults.addressMaxDelaySeconds());
        int window = number(parser, fields, "window_seconds", 60, LoginThrottlePolicy.LONGEST_WINDOW_SECONDS,
                defaults.windowSeconds());
        if (addressFree < accountFree) {
            // an address (an office, a carrier NAT) signs in many accounts; a lower limit would throttle them all first
            throw parser.error(fields.getOrDefault("address_free_failures", node), "address_free_failures (" + addressFree
                    + ") must be at least account_free_failures (" + accountFree + ")");
        }
        return new LoginThrottlePolicy(accountFree, accountDelay, addressFree, addressDelay, window);
    }

    private static int number(TenantsFileParser parser, Map<String, Node> fields, String key, int min, int max, int defaultValue) {
        Optional<String> text = parser.optionalString(fields, key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get().trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the line
        }
        throw parser.error(fields.get(key), "'" + key + "' must be a whole number from " + min + " to " + max
                + ", not '" + text.get() + "'");
    }
}
