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
 * Identity providers for Token Exchange through the admin API, checked as the tenants file checks them. Every URL
 * is a closed loopback port: nothing here is ever fetched, and no test reaches beyond this machine.
 */
class AdminIdentityProvidersApiTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(SystemAdmins.YAML);
    private static final String ISSUER = "http://127.0.0.1:1/issuer";

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aProviderIsRegisteredReadChangedAndRemoved(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = SystemAdmins.automation(server, "ALPHA");

        HttpResponse<String> created = api.post("/tenants/ALPHA/identity-providers", "{ \"name\": \"Corporate SSO\", \"issuer\": \""
                + ISSUER + "-" + suffix(store) + "\", \"audiences\": [ \"portcullis\" ] }");
        JsonNode provider = ok(created, 201);
        String id = provider.path("registration_id").asText();
        assertThat(id).matches("[0-9a-f-]{36}");
        String path = "/tenants/ALPHA/identity-providers/" + id;
        assertThat(created.headers().firstValue("Location")).contains("/admin/api/v1" + path);
        // the tenants file's defaults
        assertThat(provider.path("realm").asText()).isEqualTo("U");
        assertThat(provider.path("jwks_uri").isNull()).isTrue();
        assertThat(provider.path("algorithms")).extracting(JsonNode::asText).containsExactly("RS256", "PS256", "ES256");
        assertThat(provider.path("user_claim").asText()).isEqualTo("email");
        assertThat(provider.path("allow_private_network").asBoolean()).isFalse();
        HttpResponse<String> read = api.get(path);
        assertThat(ok(read, 200)).isEqualTo(provider);
        assertThat(ok(api.get("/tenants/ALPHA/identity-providers"), 200).findValuesAsText("registration_id")).contains(id);

        String etag = read.headers().firstValue("ETag").orElseThrow();
        problem(api.patch(path, "{ \"name\": \"x\" }", null), 428);
        HttpResponse<String> patched = api.patch(path, "{ \"name\": \"Corporate\", \"jwks_uri\": \"http://127.0.0.1:1/jwks\" }", etag);
        assertThat(ok(patched, 200).path("jwks_uri").asText()).isEqualTo("http://127.0.0.1:1/jwks");
        assertThat(ok(patched, 200).path("issuer").asText()).isEqualTo(ISSUER + "-" + suffix(store));
        problem(api.patch(path, "{ \"name\": \"stale\" }", etag), 412);
        etag = patched.headers().firstValue("ETag").orElseThrow();
        problem(api.patch(path, "{ \"registration_id\": \"other\" }", etag), 400, "cannot change");
        HttpResponse<String> replaced = api.put(path, "{ \"name\": \"Customers' SSO\", \"realm\": \"C\", \"issuer\": \"" + ISSUER
                + "-c\", \"audiences\": [ \"a\", \"b\" ], \"algorithms\": [ \"ES256\" ], \"user_claim\": \"sub\" }", etag);
        JsonNode after = ok(replaced, 200);
        assertThat(after.path("realm").asText()).isEqualTo("C");
        assertThat(after.path("jwks_uri").isNull()).isTrue();
        assertThat(after.path("audiences")).extracting(JsonNode::asText).containsExactly("a", "b");
        assertThat(ok(api.get(path), 200)).isEqualTo(after);

        assertThat(api.delete(path).statusCode()).isEqualTo(204);
        problem(api.get(path), 404, "has no identity provider " + id);
        problem(api.delete(path), 404);
        problem(api.put(path, "{}", "*"), 404);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void registrationsAreCheckedAsTheTenantsFileChecksThem(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = SystemAdmins.automation(server, "ALPHA");
        String base = "\"name\": \"SSO\", \"issuer\": \"" + ISSUER + "\", \"audiences\": [ \"portcullis\" ]";
        int before = ok(api.get("/tenants/ALPHA/identity-providers?limit=200"), 200).path("items").size();

        problem(api.post("/tenants/ALPHA/identity-providers", "{ \"name\": \"SSO\", \"issuer\": \"ftp://127.0.0.1:1/\", "
                + "\"audiences\": [ \"a\" ] }"), 400, "must use https");
        problem(api.post("/tenants/ALPHA/identity-providers", "{ \"name\": \"SSO\", \"issuer\": \"" + ISSUER + "\" }"), 400,
                "audiences must list at least one");
        assertThat(problem(api.post("/tenants/ALPHA/identity-providers", "{ " + base + ", \"algorithms\": [ \"HS256\" ] }"), 400,
                "cannot be accepted").path("field").asText()).isEqualTo("algorithms");
        problem(api.post("/tenants/ALPHA/identity-providers", "{ " + base + ", \"realm\": \"C\", \"user_claim\": "
                + "\"preferred_username\" }"), 400, "customers (realm C) do not have");
        problem(api.post("/tenants/ALPHA/identity-providers", "{ " + base + ", \"realm\": \"X\" }"), 400, "realm must be U");
        problem(api.post("/tenants/ALPHA/identity-providers", "{ " + base + ", \"registration_id\": \"no spaces\" }"), 400,
                "registration_id 'no spaces'");
        problem(api.post("/tenants/ALPHA/identity-providers", "{ " + base + ", \"secret\": \"x\" }"), 400, "unknown key 'secret'");
        // letting the server fetch from private networks is a system administrator's decision
        problem(api.post("/tenants/ALPHA/identity-providers", "{ " + base + ", \"allow_private_network\": true }"), 403,
                "only a system administrator");
        assertThat(ok(api.get("/tenants/ALPHA/identity-providers?limit=200"), 200).path("items")).hasSize(before);

        String id = "fixed-" + suffix(store);
        ok(api.post("/tenants/ALPHA/identity-providers", "{ " + base + ", \"registration_id\": \"" + id + "\" }"), 201);
        problem(api.post("/tenants/ALPHA/identity-providers", "{ " + base + ", \"registration_id\": \"" + id + "\" }"), 409,
                "already has an identity provider " + id);
        HttpResponse<String> read = api.get("/tenants/ALPHA/identity-providers/" + id);
        problem(api.patch("/tenants/ALPHA/identity-providers/" + id, "{ \"allow_private_network\": true }",
                read.headers().firstValue("ETag").orElseThrow()), 403, "only a system administrator");

        AdminApiClient system = SystemAdmins.system(server);
        HttpResponse<String> allowed = system.patch("/tenants/ALPHA/identity-providers/" + id, "{ \"allow_private_network\": true }",
                read.headers().firstValue("ETag").orElseThrow());
        assertThat(ok(allowed, 200).path("allow_private_network").asBoolean()).isTrue();
        // keeping what a system administrator allowed is the tenant's to do
        assertThat(ok(api.patch("/tenants/ALPHA/identity-providers/" + id, "{ \"name\": \"Renamed\" }",
                allowed.headers().firstValue("ETag").orElseThrow()), 200).path("allow_private_network").asBoolean()).isTrue();

        problem(SystemAdmins.automation(server, "BETA").get("/tenants/ALPHA/identity-providers/" + id), 403);
        problem(SystemAdmins.automation(server, "BETA").delete("/tenants/ALPHA/identity-providers/" + id), 403);
        assertThat(ok(api.get("/tenants/ALPHA/identity-providers/" + id), 200).path("name").asText()).isEqualTo("Renamed");
    }
}
