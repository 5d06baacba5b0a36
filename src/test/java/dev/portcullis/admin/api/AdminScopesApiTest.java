package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;

import static dev.portcullis.admin.api.AdminApiClient.ok;
import static dev.portcullis.admin.api.AdminApiClient.problem;
import static dev.portcullis.admin.api.SystemAdmins.suffix;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's scopes through the admin API: defined, read, changed with If-Match and deleted as the tenants file
 * allows; never deleted while a client or the anonymous customers hold one; the built-in admin scopes read-only.
 */
class AdminScopesApiTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(SystemAdmins.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aScopeIsDefinedReadChangedAndDeleted(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = SystemAdmins.automation(server, "ALPHA");
        String name = "reports.read-" + suffix(store);
        String path = "/tenants/ALPHA/scopes/" + name;

        HttpResponse<String> created = api.post("/tenants/ALPHA/scopes", "{ \"name\": \"" + name + "\", \"kind\": \"application\", "
                + "\"description\": \"Read reports\" }");
        JsonNode scope = ok(created, 201);
        assertThat(created.headers().firstValue("Location")).contains("/admin/api/v1" + path);
        assertThat(scope.path("kind").asText()).isEqualTo("application");
        assertThat(scope.path("description").asText()).isEqualTo("Read reports");
        assertThat(scope.path("built_in").asBoolean()).isFalse();
        HttpResponse<String> read = api.get(path);
        assertThat(ok(read, 200)).isEqualTo(scope);
        assertThat(ok(api.get("/tenants/ALPHA/scopes?kind=application&limit=200"), 200).findValuesAsText("name")).contains(name)
                .contains("app.read").doesNotContain("deleg.read");
        assertThat(ok(api.get("/tenants/ALPHA/scopes?kind=delegated"), 200).findValuesAsText("name")).contains("deleg.read")
                .doesNotContain(name, "app.read");
        problem(api.get("/tenants/ALPHA/scopes?kind=bogus"), 400, "kind must be");

        String etag = read.headers().firstValue("ETag").orElseThrow();
        problem(api.patch(path, "{ \"description\": \"x\" }", null), 428);
        HttpResponse<String> patched = api.patch(path, "{ \"description\": \"Read the reports\", \"built_in\": true }", etag);
        assertThat(ok(patched, 200).path("description").asText()).isEqualTo("Read the reports");
        assertThat(ok(patched, 200).path("built_in").asBoolean()).isFalse();
        problem(api.patch(path, "{ \"description\": \"stale\" }", etag), 412);
        etag = patched.headers().firstValue("ETag").orElseThrow();
        problem(api.patch(path, "{ \"name\": \"renamed\" }", etag), 400, "cannot change");
        problem(api.patch(path, "{ \"kind\": \"sideways\" }", etag), 400, "scope kind must be application, delegated or on-behalf-of");
        HttpResponse<String> replaced = api.put(path, "{ \"kind\": \"on-behalf-of\" }", etag);
        assertThat(ok(replaced, 200).path("kind").asText()).isEqualTo("on-behalf-of");
        assertThat(ok(replaced, 200).path("description").isNull()).isTrue();

        assertThat(api.delete(path).statusCode()).isEqualTo(204);
        problem(api.get(path), 404, "has no scope " + name);
        problem(api.delete(path), 404);
        problem(api.patch(path, "{ \"description\": \"gone\" }", "*"), 404);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void scopesAreCheckedAsTheTenantsFileChecksThem(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = SystemAdmins.automation(server, "ALPHA");
        int before = ok(api.get("/tenants/ALPHA/scopes?limit=200"), 200).path("items").size();
        problem(api.post("/tenants/ALPHA/scopes", "{ \"name\": \"has space\", \"kind\": \"application\" }"), 400,
                "may not contain spaces");
        assertThat(problem(api.post("/tenants/ALPHA/scopes", "{ \"name\": \"x.read\", \"kind\": \"sideways\" }"), 400,
                "scope kind must be").path("field").asText()).isEqualTo("kind");
        problem(api.post("/tenants/ALPHA/scopes", "{ \"name\": \"x.read\" }"), 400, "'kind' is required");
        problem(api.post("/tenants/ALPHA/scopes", "{ \"name\": \"x.read\", \"kind\": \"application\", \"colour\": 1 }"), 400,
                "unknown key 'colour'");
        problem(api.post("/tenants/ALPHA/scopes", "{ \"name\": \"x.read\", \"kind\": \"application\", \"built_in\": false }"), 400,
                "built_in is read-only");
        problem(api.post("/tenants/ALPHA/scopes", "{ \"name\": \"app.read\", \"kind\": \"application\" }"), 409,
                "already has a scope app.read");
        assertThat(ok(api.get("/tenants/ALPHA/scopes?limit=200"), 200).path("items")).hasSize(before);
        problem(SystemAdmins.automation(server, "BETA").get("/tenants/ALPHA/scopes"), 403);
        problem(SystemAdmins.automation(server, "BETA").post("/tenants/ALPHA/scopes", "{ \"name\": \"x\", \"kind\": \"application\" }"),
                403);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHeldScopeIsNotDeletedAndTheRefusalNamesItsHolders(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = SystemAdmins.automation(server, "ALPHA");
        String name = "held-" + suffix(store);
        String clientId = "holder-" + suffix(store);
        ok(api.post("/tenants/ALPHA/scopes", "{ \"name\": \"" + name + "\", \"kind\": \"application\" }"), 201);
        HttpResponse<String> client = api.post("/tenants/ALPHA/clients", "{ \"client_id\": \"" + clientId + "\", \"name\": \"Holder\", "
                + "\"platform\": \"web\", \"scopes\": [ \"" + name + "\" ] }");
        ok(client, 201);

        JsonNode refused = problem(api.delete("/tenants/ALPHA/scopes/" + name), 409, "held by client " + clientId);
        assertThat(refused.path("clients").get(0).asText()).isEqualTo(clientId);
        assertThat(ok(api.get("/tenants/ALPHA/scopes/" + name), 200).path("name").asText()).isEqualTo(name);

        ok(api.patch("/tenants/ALPHA/clients/" + clientId, "{ \"scopes\": [] }", client.headers().firstValue("ETag").orElseThrow()), 200);
        assertThat(api.delete("/tenants/ALPHA/scopes/" + name).statusCode()).isEqualTo(204);

        // GAMMA's anonymous customers hold chat.send, which must stay delegated
        AdminApiClient system = SystemAdmins.system(server);
        problem(system.delete("/tenants/GAMMA/scopes/chat.send"), 409, "anonymous_customers");
        String etag = system.get("/tenants/GAMMA/scopes/chat.send").headers().firstValue("ETag").orElseThrow();
        problem(system.patch("/tenants/GAMMA/scopes/chat.send", "{ \"kind\": \"application\" }", etag), 409, "only get delegated");
        assertThat(ok(system.patch("/tenants/GAMMA/scopes/chat.send", "{ \"description\": \"Chat\" }", etag), 200)
                .path("kind").asText()).isEqualTo("delegated");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theBuiltInAdminScopesAreReadButNeverChangedOrDeleted(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = SystemAdmins.automation(server, "BETA");
        String path = "/tenants/BETA/scopes/portcullis.admin.api";
        HttpResponse<String> read = api.get(path);
        assertThat(ok(read, 200).path("built_in").asBoolean()).isTrue();
        String etag = read.headers().firstValue("ETag").orElseThrow();
        problem(api.patch(path, "{ \"description\": \"mine now\" }", etag), 409, "built in");
        problem(api.put(path, "{ \"kind\": \"delegated\" }", etag), 409, "built in");
        problem(api.delete(path), 409, "built in");
        problem(api.post("/tenants/BETA/scopes", "{ \"name\": \"portcullis.admin\", \"kind\": \"delegated\" }"), 409, "built in");
        assertThat(ok(api.get(path), 200)).isEqualTo(ok(read, 200));
        assertThat(ok(api.get("/tenants/BETA/scopes"), 200).path("items")).filteredOn(scope -> scope.path("built_in").asBoolean())
                .extracting(scope -> scope.path("name").asText()).contains("portcullis.admin.api").doesNotContain("app.read");
    }
}
