package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.TenantSettings;
import dev.portcullis.tenant.LoginThrottlePolicy;
import org.yaml.snakeyaml.nodes.Node;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tenant's own settings in the tenants file (id, name, token lifetimes, enabled, sign-in throttling, token
 * signing, {@link AuthorizationSettingsSection authorization settings} and {@link RateLimitsSection rate limits}): read from a tenant of the file and, through {@link RequestValidator}, from an admin API request.
 */
final class TenantSettingsSection {

    /** The settings' keys: what an admin API request for a tenant may hold. */
    static final Set<String> KEYS = union(Set.of("id", "name", "access_token_ttl", "refresh_token_idle_ttl",
            "refresh_token_absolute_ttl", "enabled", "login_throttle", "signing_key_rotation_days", "signing_alg", "access_token_typ"),
            union(AuthorizationSettingsSection.KEYS, Set.of("rate_limits")));
    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private TenantSettingsSection() {
    }

    /** {@code fields}: the tenant's mapping, already checked for unknown keys by the caller. */
    static TenantSettings read(TenantsFileParser parser, Node node, Map<String, Node> fields) {
        String id = parser.requiredString(node, fields, "id");
        if (!TENANT_ID.matcher(id).matches()) {
            throw parser.error(fields.get("id"), "tenant id '" + id
                    + "' must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        String name = parser.requiredString(node, fields, "name");
        int ttl = parser.optionalInt(fields, "access_token_ttl", 60, 86_400).orElse(3600);
        int refreshIdle = parser.optionalInt(fields, "refresh_token_idle_ttl", 60, 31_536_000).orElse(604_800);
        int refreshAbsolute = parser.optionalInt(fields, "refresh_token_absolute_ttl", 60, 31_536_000).orElse(2_592_000);
        if (refreshIdle > refreshAbsolute) {
            throw parser.error(fields.get("refresh_token_idle_ttl"), "refresh_token_idle_ttl cannot exceed refresh_token_absolute_ttl");
        }
        boolean enabled = parser.optionalBoolean(fields, "enabled").orElse(true);
        int keyRotationDays = parser.optionalInt(fields, "signing_key_rotation_days", 1, 3650).orElse(90);
        LoginThrottlePolicy loginThrottle = fields.containsKey("login_throttle") && !TenantsFileParser.isNull(fields.get("login_throttle"))
                ? LoginThrottleSection.read(parser, fields.get("login_throttle")) : LoginThrottlePolicy.DEFAULT;
        return new TenantSettings(id, name, ttl, refreshIdle, refreshAbsolute, enabled, loginThrottle, keyRotationDays,
                TokenSigningSection.read(parser, fields), AuthorizationSettingsSection.read(parser, fields),
                RateLimitsSection.read(parser, fields));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
