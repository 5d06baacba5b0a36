package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.grant.Pkce;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;

import static dev.portcullis.admin.api.AdminApiClient.ok;
import static dev.portcullis.admin.api.AdminApiClient.problem;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Administrators who sign in: a Partition Administrator (role partition_admin, built-in delegated scope
 * portcullis.admin through a sign-in client) manages only their tenant, a user without the role is refused, taking
 * the role away takes effect at the next call, and a system administrator of tenant system reaches every tenant.
 */
class AdminSignedInAdministratorsTest {

    private static final String REDIRECT = "https://admin.example.com/cb";
    private static final String VERIFIER = "admin-verifier-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String PASSWORD = "password-of-admins-0001";
    private static final String TENANT = """
              - id: %1$s
                name: Tenant %1$s
                scopes: [ { name: app.read, kind: application } ]
                users:
                  - { id: "a-1", username: admin, password: "%2$s", roles: [ partition_admin ] }
                  - { id: "a-2", username: plain, password: "%2$s" }
                clients:
                  - { client_id: console, name: Console, platform: spa, consent: skip, scopes: [ portcullis.admin ],
                      redirect_uris: [ "%3$s" ] }
            """;
    private static final String YAML = "tenants:\n" + TENANT.formatted("ALPHA", PASSWORD, REDIRECT)
            + TENANT.formatted("BETA", PASSWORD, REDIRECT) + """
              - id: system
                name: System administration
                users:
                  - { id: "s-1", username: root, password: "%1$s", roles: [ system_admin ] }
                  - { id: "s-2", username: deputy, password: "%1$s", roles: [ partition_admin ] }
                clients:
                  - { client_id: console, name: Console, platform: spa, consent: skip, scopes: [ portcullis.admin ],
                      redirect_uris: [ "%2$s" ] }
            """.formatted(PASSWORD, REDIRECT);

    private static final ServersPerStore SERVERS = new ServersPerStore(YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    /** The user signs in on the tenant's -U realm through its console client with PKCE; the code is redeemed. */
    private static AdminApiClient signedIn(TestServer server, String tenant, String username) {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String authorize = "/system/auth/" + tenant + "-U/oauth2/authorize?" + TestServer.encode(form("client_id", "console",
                "response_type", "code", "redirect_uri", REDIRECT, "scope", "portcullis.admin", "state", "s1",
                "code_challenge", Pkce.s256(VERIFIER), "code_challenge_method", "S256"));
        HttpResponse<String> redirect = SignInFlow.signIn(browser, authorize, "username", username, PASSWORD);
        String code = BrowserClient.redirectParams(redirect).get("code");
        String token = assertToken(server.postForm("/system/auth/" + tenant + "-U/oauth2/token", form("grant_type",
                "authorization_code", "code", code, "redirect_uri", REDIRECT, "client_id", "console", "code_verifier", VERIFIER)))
                .serialize();
        return new AdminApiClient(server, token);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPartitionAdministratorManagesTheirTenantOnly(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient admin = signedIn(server, "ALPHA", "admin");
        String clientId = "by-admin-" + store.name().toLowerCase();
        ok(admin.post("/tenants/ALPHA/clients", "{ \"client_id\": \"" + clientId + "\", \"name\": \"By admin\", "
                + "\"platform\": \"web\" }"), 201);
        JsonNode event = ok(admin.get("/tenants/ALPHA/audit-events?action=client.created&actor=a-1"), 200).path("items").get(0);
        assertThat(event.path("resource").asText()).isEqualTo("clients/" + clientId);
        assertThat(event.path("actor").path("subject").asText()).isEqualTo("a-1");
        assertThat(event.path("actor").path("client_id").asText()).isEqualTo("console");

        assertThat(ok(admin.get("/tenants/ALPHA"), 200).path("id").asText()).isEqualTo("ALPHA");
        problem(admin.get("/tenants/BETA/clients"), 403, "ALPHA");
        problem(admin.get("/tenants/BETA"), 403);
        problem(admin.get("/tenants"), 403, "system administrators");
        problem(admin.post("/tenants/BETA/users", "{ \"username\": \"mole\" }"), 403);

        problem(signedIn(server, "ALPHA", "plain").get("/tenants/ALPHA/clients"), 403, "no role partition_admin");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void takingTheRoleAwayTakesEffectAtTheNextCall(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient admin = signedIn(server, "BETA", "admin");
        ok(admin.get("/tenants/BETA/clients"), 200);
        AdminApiClient root = signedIn(server, "system", "root");
        HttpResponse<String> user = root.get("/tenants/BETA/users/a-1");
        assertThat(ok(user, 200).path("roles").get(0).asText()).isEqualTo("partition_admin");
        ok(root.patch("/tenants/BETA/users/a-1", "{ \"roles\": [] }", user.headers().firstValue("ETag").orElseThrow()), 200);
        problem(admin.get("/tenants/BETA/clients"), 403, "no role partition_admin");
        HttpResponse<String> again = root.get("/tenants/BETA/users/a-1");
        ok(root.patch("/tenants/BETA/users/a-1", "{ \"roles\": [ \"partition_admin\" ] }",
                again.headers().firstValue("ETag").orElseThrow()), 200);
        ok(admin.get("/tenants/BETA/clients"), 200);
        problem(root.patch("/tenants/BETA/users/a-2", "{ \"roles\": [ \"system_admin\" ] }", "*"), 400, "system");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void onlyASystemAdministratorGrantsSystemAdmin(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient deputy = signedIn(server, "system", "deputy");
        problem(deputy.get("/tenants"), 403, "system administrators");
        HttpResponse<String> self = deputy.get("/tenants/system/users/s-2");
        JsonNode refused = problem(deputy.patch("/tenants/system/users/s-2", "{ \"roles\": [ \"partition_admin\", \"system_admin\" ] }",
                self.headers().firstValue("ETag").orElseThrow()), 403, "only a system administrator");
        assertThat(refused.path("field").asText()).isEqualTo("roles");
        problem(deputy.post("/tenants/system/users", "{ \"username\": \"sock-" + store.name().toLowerCase()
                + "\", \"password\": \"" + PASSWORD + "\", \"roles\": [ \"system_admin\" ] }"), 403);
        assertThat(ok(deputy.get("/tenants/system/users/s-2"), 200).path("roles").toString()).isEqualTo("[\"partition_admin\"]");

        AdminApiClient root = signedIn(server, "system", "root");
        HttpResponse<String> again = root.get("/tenants/system/users/s-2");
        ok(root.patch("/tenants/system/users/s-2", "{ \"roles\": [ \"partition_admin\", \"system_admin\" ] }",
                again.headers().firstValue("ETag").orElseThrow()), 200);
        ok(deputy.get("/tenants"), 200);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSystemAdministratorReachesEveryTenant(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient root = signedIn(server, "system", "root");
        assertThat(ok(root.get("/tenants?limit=200"), 200).findValuesAsText("id")).contains("ALPHA", "BETA", "system");
        ok(root.get("/tenants/ALPHA/clients"), 200);
        ok(root.get("/tenants/BETA/users"), 200);
    }
}
