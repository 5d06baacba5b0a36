package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ScopeSpec;
import dev.portcullis.egain.AnonymousCustomerPolicy;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.tenant.ScopeKind;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's {@code anonymous_customers:} mapping. Present means enabled unless it says
 * {@code enabled: false}; the scopes must be delegated scopes the tenant defines, the family eGain's
 * API specifications list for anonymous customers next to users and customers.
 */
final class AnonymousCustomersSection {

    private static final Set<String> KEYS = Set.of("enabled", "scopes", "access_token_ttl",
            "requests_per_minute_per_address", "requests_per_minute_per_tenant");

    private AnonymousCustomersSection() {
    }

    static AnonymousCustomerPolicy read(TenantsFileParser parser, Node node, List<ScopeSpec> tenantScopes, String tenantId) {
        Map<String, Node> fields = parser.mapping(node, KEYS, "anonymous_customers");
        boolean enabled = parser.optionalString(fields, "enabled").map(text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw parser.error(fields.get("enabled"), "'enabled' must be true or false, not '" + text + "'");
        }).orElse(true);
        List<String> scopes = scopes(parser, node, fields.get("scopes"), tenantScopes, tenantId);
        if (enabled && scopes.isEmpty()) {
            throw parser.error(node, "anonymous_customers needs 'scopes': the delegated scopes anonymous customers may get");
        }
        int ttl = number(parser, fields, "access_token_ttl", 60, 86_400, AnonymousCustomerPolicy.DEFAULT_ACCESS_TOKEN_TTL);
        int perAddress = number(parser, fields, "requests_per_minute_per_address", 1, 100_000,
                AnonymousCustomerPolicy.DEFAULT_REQUESTS_PER_MINUTE_PER_ADDRESS);
        int perTenant = number(parser, fields, "requests_per_minute_per_tenant", 1, 1_000_000,
                Math.max(perAddress, AnonymousCustomerPolicy.DEFAULT_REQUESTS_PER_MINUTE_PER_TENANT));
        if (perTenant < perAddress) {
            // one address could then use up the whole tenant's allowance, and the address limit would never apply
            throw parser.error(fields.get("requests_per_minute_per_tenant"), "requests_per_minute_per_tenant (" + perTenant
                    + ") must be at least requests_per_minute_per_address (" + perAddress + ")");
        }
        return new AnonymousCustomerPolicy(enabled, scopes, ttl, perAddress, perTenant);
    }

    private static List<String> scopes(TenantsFileParser parser, Node parent, Node node, List<ScopeSpec> tenantScopes,
                                       String tenantId) {
        if (node == null || (node instanceof ScalarNode scalar && "tag:yaml.org,2002:null".equals(scalar.getTag().getValue()))) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw parser.error(node, "'scopes' must be a list");
        }
        List<String> scopes = new ArrayList<>();
        for (Node scopeNode : sequence.getValue()) {
            if (!(scopeNode instanceof ScalarNode scalar)) {
                throw parser.error(scopeNode, "a scope name must be a single value");
            }
            String name = scalar.getValue().trim();
            if (BuiltInScopes.isBuiltIn(name)) {
                throw parser.error(scopeNode, "anonymous_customers names the built-in scope '" + name
                        + "', which is for administrators only");
            }
            Optional<ScopeSpec> defined = tenantScopes.stream().filter(s -> s.name().equals(name)).findFirst();
            if (defined.isEmpty()) {
                throw parser.error(scopeNode, "anonymous_customers names scope '" + name + "', which tenant " + tenantId
                        + " does not define under scopes:");
            }
            if (!defined.get().kind().equals(ScopeKind.DELEGATED.label())) {
                throw parser.error(scopeNode, "anonymous_customers scope '" + name + "' is " + defined.get().kind()
                        + "; anonymous customers may only get delegated scopes");
            }
            if (!scopes.contains(name)) {
                scopes.add(name);
            }
        }
        return List.copyOf(scopes);
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
