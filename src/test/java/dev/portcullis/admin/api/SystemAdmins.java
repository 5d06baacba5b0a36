package dev.portcullis.admin.api;

import dev.portcullis.testing.TestServer;

/**
 * {@link AdminTenants} and the reserved tenant {@code system}, whose automation client is a system-wide caller of
 * the admin API; GAMMA lets anonymous customers have a delegated scope, so that scope is held without a client.
 */
final class SystemAdmins {

    static final String YAML = AdminTenants.YAML + """
              - id: system
                name: System administration
                scopes:
                clients:
                  - { client_id: automation, name: System automation, platform: web, secrets: [ "%1$s" ],
                      scopes: [ portcullis.admin.api ] }
                  - { client_id: operator, name: Operator, platform: web, secrets: [ "%1$s" ], scopes: [ portcullis.admin.api ] }
              - id: GAMMA
                name: Gamma
                scopes: [ { name: chat.send, kind: delegated } ]
                anonymous_customers: { enabled: true, scopes: [ chat.send ] }
            """.formatted(AdminTenants.SECRET);

    private SystemAdmins() {
    }

    /** The system tenant's automation client: may manage every tenant and the tenant list. */
    static AdminApiClient system(TestServer server) {
        return new AdminApiClient(server, AdminTenants.automationToken(server, "system"));
    }

    /** A second system-wide caller, so audit events have two actors to tell apart. */
    static AdminApiClient operator(TestServer server) {
        return new AdminApiClient(server, AdminTenants.clientCredentials(server, "system", "operator", "portcullis.admin.api"));
    }

    /** A tenant's own automation client. */
    static AdminApiClient automation(TestServer server, String tenant) {
        return new AdminApiClient(server, AdminTenants.automationToken(server, tenant));
    }

    /** A lower-case suffix that keeps each store's objects apart where a test names them. */
    static String suffix(dev.portcullis.testing.StoreKind store) {
        return store.name().toLowerCase(java.util.Locale.ROOT);
    }
}
