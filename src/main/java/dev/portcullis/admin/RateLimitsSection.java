package dev.portcullis.admin;

import dev.portcullis.tenant.RateLimitPolicy;
import org.yaml.snakeyaml.nodes.Node;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A tenant's {@code rate_limits:} mapping (requests per minute, 0 for none); keys left out are 0. */
final class RateLimitsSection {

    static final Set<String> KEYS = Set.of("token_requests_per_minute_per_client", "token_requests_per_minute_per_address",
            "authorize_requests_per_minute_per_address", "login_requests_per_minute_per_address");

    private RateLimitsSection() {
    }

    static RateLimitPolicy read(TenantsFileParser parser, Map<String, Node> tenantFields) {
        Node node = tenantFields.get("rate_limits");
        if (node == null || TenantsFileParser.isNull(node)) {
            return RateLimitPolicy.NONE;
        }
        Map<String, Node> fields = parser.mapping(node, KEYS, "rate_limits");
        return new RateLimitPolicy(number(parser, fields, "token_requests_per_minute_per_client"),
                number(parser, fields, "token_requests_per_minute_per_address"),
                number(parser, fields, "authorize_requests_per_minute_per_address"),
                number(parser, fields, "login_requests_per_minute_per_address"));
    }

    private static int number(TenantsFileParser parser, Map<String, Node> fields, String key) {
        Optional<String> text = parser.optionalString(fields, key);
        if (text.isEmpty()) {
            return 0;
        }
        try {
            int value = Integer.parseInt(text.get().trim());
            if (value >= 0 && value <= RateLimitPolicy.MOST_PER_MINUTE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the line
        }
        throw parser.error(fields.get(key), "'" + key + "' must be a whole number from 0 (no limit) to "
                + RateLimitPolicy.MOST_PER_MINUTE + ", not '" + text.get() + "'");
    }
}
