package dev.portcullis.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.IdentityProviderSpec;
import dev.portcullis.admin.TenantsFile.ScopeSpec;
import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.admin.TenantsFile.TenantSettings;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;
import org.yaml.snakeyaml.nodes.Node;

import java.util.List;
import java.util.Map;

/**
 * The tenants file's validator for one object of an admin API request: the JSON object is read by the same
 * section that reads it in a file, so the API and the file accept and refuse exactly the same things.
 * Refusals are {@link TenantsFileException}s whose {@link TenantsFileException#detail()} says what to fix.
 */
public final class RequestValidator {

    private RequestValidator() {
    }

    /** A client as the tenants file writes it under {@code clients:}; {@code secrets} are the caller's to refuse. */
    public static ClientSpec client(JsonNode body, Tenant tenant) {
        return ClientSection.read(TenantsFileParser.forRequest(), JsonAsYaml.node(body), tenant.scopes().keySet(), tenant.id());
    }

    /**
     * A user (realm U) or customer (realm C) as the tenants file writes it under {@code users:} or {@code customers:}.
     * {@code tenant}: admin roles are checked against it ({@code system_admin} only in tenant {@code system}).
     */
    public static SubjectSpec subject(JsonNode body, Tenant tenant, RealmType realm) {
        List<SubjectSpec> one = SubjectsSection.read(TenantsFileParser.forRequest(), List.of(JsonAsYaml.node(body)),
                realm == RealmType.USER, tenant.id());
        return one.get(0);
    }

    /**
     * A tenant's own settings as the tenants file writes them; its lists (scopes, clients...) are unknown keys here.
     * {@code scopes}: the tenant's stored scopes, which dynamic registration may offer (none for a new tenant).
     */
    public static TenantSettings tenantSettings(JsonNode body, Map<String, ScopeKind> scopes) {
        TenantsFileParser parser = TenantsFileParser.forRequest();
        Node node = JsonAsYaml.node(body);
        Map<String, Node> fields = parser.mapping(node, TenantSettingsSection.KEYS, "a tenant");
        TenantSettings settings = TenantSettingsSection.read(parser, node, fields);
        AuthorizationSettingsSection.checkRegistrationScopes(parser, fields, settings.authorization().settings(), scopes);
        return settings;
    }

    /** A scope as the tenants file writes it under a tenant's {@code scopes:}. */
    public static ScopeSpec scope(JsonNode body) {
        return ScopeSection.read(TenantsFileParser.forRequest(), JsonAsYaml.node(body));
    }

    /** An identity provider as the tenants file writes it under {@code identity_providers:}. */
    public static IdentityProviderSpec identityProvider(JsonNode body) {
        return IdentityProvidersSection.provider(TenantsFileParser.forRequest(), JsonAsYaml.node(body));
    }
}
