package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ScopeSpec;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.tenant.ScopeKind;
import org.yaml.snakeyaml.nodes.Node;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** One entry of a tenant's {@code scopes:} list, read from the tenants file or an admin API request. */
final class ScopeSection {

    private static final Pattern SCOPE_NAME = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,200}");
    private static final Set<String> KEYS = Set.of("name", "kind", "description");

    private ScopeSection() {
    }

    static ScopeSpec read(TenantsFileParser parser, Node scopeNode) {
        Map<String, Node> s = parser.mapping(scopeNode, KEYS, "a scope");
        String scopeName = parser.requiredString(scopeNode, s, "name");
        if (!SCOPE_NAME.matcher(scopeName).matches()) {
            throw parser.error(s.get("name"), "scope name '" + scopeName + "' may not contain spaces, '\"' or '\\'");
        }
        if (BuiltInScopes.isBuiltIn(scopeName)) {
            throw parser.error(s.get("name"), BuiltInScopes.definitionRefusal(scopeName));
        }
        String kind = parser.requiredString(scopeNode, s, "kind");
        if (ScopeKind.fromLabel(kind).isEmpty()) {
            throw parser.error(s.get("kind"), "scope kind must be application, delegated or on-behalf-of, not '" + kind + "'");
        }
        return new ScopeSpec(scopeName, kind, parser.optionalString(s, "description").orElse(null));
    }
}
