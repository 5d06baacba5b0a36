package dev.portcullis.console;

import dev.portcullis.testing.TestServer;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;

/**
 * Two tenants for the console's tests. ACME's user pa is a Partition Administrator, agent is not; GLOBEX's
 * user gadmin administers GLOBEX only; root of tenant system administers them all. The admin scopes are built in,
 * so the file names them without defining them. Each tenant has an automation client for arranging things through the API.
 */
public final class ConsoleTenants {

    public static final String ACME = "ACME";
    public static final String GLOBEX = "GLOBEX";
    public static final String PA_PASSWORD = "console-pa-password-0001";
    public static final String AGENT_PASSWORD = "console-agent-password-0002";
    public static final String GLOBEX_PASSWORD = "console-globex-password-0003";
    public static final String ROOT_PASSWORD = "console-root-password-0004";
    public static final String SECRET = "console-automation-secret-0123456789abcdef";
    public static final String OBO_SCOPE = "knowledge.portalmgr.onbehalfof.read";

    public static final String YAML = """
            tenants:
              - id: ACME
                name: Acme Corporation
                scopes:
                  - { name: knowledge.portalmgr.onbehalfof.read, kind: on-behalf-of, description: Read portal content on behalf of a user }
                  - { name: app.knowledge.contentmgr.manage, kind: application, description: Manage knowledge content as the application }
                  - { name: core.aiservices.read, kind: delegated, description: Read AI services }
                  - { name: openid, kind: delegated, description: Sign you in with your account }
                users:
                  - { id: "1001", username: pa, email: pa@acme.example, password: "%1$s", roles: [ partition_admin ] }
                  - { id: "1002", username: agent, email: agent@acme.example, password: "%2$s" }
                clients:
                  - { client_id: automation, name: Automation, platform: web, secrets: [ "%4$s" ], scopes: [ portcullis.admin.api ] }
              - id: GLOBEX
                name: Globex
                scopes:
                  - { name: app.read, kind: application, description: Read as the application }
                users:
                  - { id: "2001", username: gadmin, password: "%3$s", roles: [ partition_admin ] }
              - id: system
                name: System administration
                users:
                  - { id: "9001", username: root, password: "%5$s", roles: [ system_admin ] }
            """.formatted(PA_PASSWORD, AGENT_PASSWORD, GLOBEX_PASSWORD, SECRET, ROOT_PASSWORD);

    private ConsoleTenants() {
    }

    public static String automationToken(TestServer server) {
        return assertToken(server.postForm("/system/auth/ACME-U/oauth2/token", form("grant_type", "client_credentials",
                "client_id", "automation", "client_secret", SECRET, "scope", "portcullis.admin.api"))).serialize();
    }
}
