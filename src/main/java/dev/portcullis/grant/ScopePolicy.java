package dev.portcullis.grant;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;

/**
 * The rule every grant shares: each requested scope must be defined by the tenant, assigned to
 * the client, and of the kind the grant serves. The error names the scope and the reason.
 */
public final class ScopePolicy {

    private ScopePolicy() {
    }

    public static void check(Tenant tenant, ClientApplication client, ScopeSet requested, ScopeKind required, String grantLabel) {
        for (String name : requested.names()) {
            ScopeDefinition scope = tenant.scope(name).orElseThrow(() -> OAuthException.invalidScope(
                    "scope '" + name + "' is not defined in tenant " + tenant.id()));
            if (!client.scopes().contains(name)) {
                throw OAuthException.invalidScope("scope '" + name + "' is not assigned to client '" + client.clientId() + "'");
            }
            if (scope.kind() != required) {
                throw OAuthException.invalidScope("scope '" + name + "' is " + article(scope.kind()) + " scope; "
                        + grantLabel + " takes only " + required.label() + " scopes");
            }
        }
    }

    private static String article(ScopeKind kind) {
        return (kind == ScopeKind.APPLICATION ? "an " : "a ") + kind.label();
    }
}
