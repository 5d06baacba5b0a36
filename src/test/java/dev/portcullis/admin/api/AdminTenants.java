package dev.portcullis.admin.api;

import dev.portcullis.testing.TestServer;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;

/**
 * Two tenants whose administrators call the admin API: ALPHA and BETA each have an automation client (the built-in
 * application scope portcullis.admin.api) and a client without it; ALPHA's users sign in on its -U realm.
 */
final class AdminTenants {

    static final String SECRET = "admin-secret-0123456789abcdefghijklmnop";

    static final String YAML = """
            tenants:
              - id: ALPHA
                name: Alpha
                scopes:
                  - { name: knowledge.portalmgr.onbehalfof.read, kind: on-behalf-of, description: Read articles for a user }
                  - { name: app.read, kind: application }
                  - { name: deleg.read, kind: delegated }
                users:
                  - { id: "1001", username: pa, password: "password-of-pa-0001" }
                clients:
                  - { client_id: automation, name: Automation, platform: web, secrets: [ "%1$s" ],
                      scopes: [ portcullis.admin.api, app.read ] }
                  - { client_id: plain, name: Plain, platform: web, secrets: [ "%1$s" ], scopes: [ app.read ] }
              - id: BETA
                name: Beta
                scopes: [ { name: app.read, kind: application } ]
                clients:
                  - { client_id: automation, name: Automation, platform: web, secrets: [ "%1$s" ],
                      scopes: [ portcullis.admin.api ] }
            """.formatted(SECRET);

    private AdminTenants() {
    }

    static String automationToken(TestServer server, String tenant) {
        return clientCredentials(server, tenant, "automation", "portcullis.admin.api");
    }

    static String clientCredentials(TestServer server, String tenant, String clientId, String scope) {
        return assertToken(server.postForm("/system/auth/" + tenant + "-U/oauth2/token", form("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", SECRET, "scope", scope))).serialize();
    }
}
