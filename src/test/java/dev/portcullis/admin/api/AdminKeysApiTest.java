package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static dev.portcullis.admin.api.AdminApiClient.ok;
import static dev.portcullis.admin.api.AdminApiClient.problem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's signing keys through the admin API: listed without key material, rotated as {@code keys rotate}
 * rotates them (the new key published before it signs), and every rotation audited.
 */
class AdminKeysApiTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(SystemAdmins.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    private static List<String> jwksKids(TestServer server, String realm) {
        HttpResponse<String> jwks = server.get("/system/auth/" + realm + "/oauth2/jwks");
        assertThat(jwks.statusCode()).isEqualTo(200);
        JsonNode keys = AdminApiClient.json(jwks).path("keys");
        List<String> kids = new ArrayList<>();
        keys.forEach(key -> {
            assertThat(key.has("d")).as("private material in the JWKS").isFalse();
            kids.add(key.path("kid").asText());
        });
        return kids;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRotationPublishesANewKeyThatTheListAndTheJwksShow(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = SystemAdmins.automation(server, "BETA");
        JsonNode before = ok(api.get("/tenants/BETA/keys"), 200).path("items");
        assertThat(before).extracting(key -> key.path("status").asText()).containsExactly("active");
        JsonNode active = before.get(0);
        assertThat(active.path("algorithm").asText()).isEqualTo("RS256");
        List<String> fields = new ArrayList<>();
        active.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("kid", "algorithm", "status", "created_at", "activates_at", "retires_at");

        HttpResponse<String> rotated = api.send("POST", "/tenants/BETA/keys/rotate", null, null);
        JsonNode next = ok(rotated, 201);
        String kid = next.path("kid").asText();
        assertThat(rotated.headers().firstValue("Location")).contains("/admin/api/v1/tenants/BETA/keys/" + kid);
        assertThat(next.path("status").asText()).isEqualTo("next");
        assertThat(next.path("algorithm").asText()).isEqualTo("RS256");
        assertThat(next.path("activates_at").asText()).isGreaterThan(next.path("created_at").asText());
        assertThat(ok(api.get("/tenants/BETA/keys"), 200).findValuesAsText("kid")).containsExactlyInAnyOrder(kid,
                active.path("kid").asText());
        assertThat(ok(api.get("/tenants/BETA/keys/" + kid), 200)).isEqualTo(next);
        assertThat(jwksKids(server, "BETA-U")).contains(kid, active.path("kid").asText());

        // a rotation under way is answered, not repeated
        HttpResponse<String> again = api.post("/tenants/BETA/keys/rotate", "{}");
        assertThat(ok(again, 200).path("kid").asText()).isEqualTo(kid);

        // a change of algorithm replaces the waiting key, which never signed, and becomes the tenant's signing_alg
        JsonNode es256 = ok(api.post("/tenants/BETA/keys/rotate", "{ \"algorithm\": \"ES256\" }"), 201);
        assertThat(es256.path("algorithm").asText()).isEqualTo("ES256");
        assertThat(ok(api.get("/tenants/BETA/keys"), 200).findValuesAsText("kid")).containsExactlyInAnyOrder(
                es256.path("kid").asText(), active.path("kid").asText());
        assertThat(jwksKids(server, "BETA-C")).contains(es256.path("kid").asText()).doesNotContain(kid);
        assertThat(ok(api.get("/tenants/BETA"), 200).path("signing_alg").asText()).isEqualTo("ES256");

        HttpResponse<String> audit = api.get("/tenants/BETA/audit-events?action=key.");
        assertThat(ok(audit, 200).findValuesAsText("resource")).containsExactly("keys/" + es256.path("kid").asText(), "keys/" + kid);
        JsonNode algorithmChange = ok(api.get("/tenants/BETA/audit-events?action=tenant.updated"), 200).path("items");
        assertThat(algorithmChange).hasSize(1);
        assertThat(algorithmChange.get(0).path("changes").path("signing_alg").path("to").asText()).isEqualTo("ES256");
        assertThat(audit.body()).doesNotContain("\"d\"").doesNotContain("private").doesNotContain("public_jwk");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void badRotationsAndOtherTenantsKeysAreRefused(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = SystemAdmins.automation(server, "ALPHA");
        problem(api.post("/tenants/ALPHA/keys/rotate", "{ \"algorithm\": \"HS256\" }"), 400, "algorithm must be one of");
        problem(api.post("/tenants/ALPHA/keys/rotate", "{ \"algorithm\": 256 }"), 400, "algorithm must be a string");
        problem(api.post("/tenants/ALPHA/keys/rotate", "{ \"activate_in\": 0 }"), 400, "unknown field 'activate_in'");
        HttpResponse<String> plain = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + AdminApiClient.BASE
                        + "/tenants/ALPHA/keys/rotate")).header("Authorization", "Bearer " + AdminTenants.automationToken(server, "ALPHA"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("ES256")).build());
        problem(plain, 415);
        problem(api.get("/tenants/ALPHA/keys/no-such-kid"), 404, "has no signing key no-such-kid");
        assertThat(ok(api.get("/tenants/ALPHA/keys"), 200).findValuesAsText("status")).doesNotContain("next");

        AdminApiClient beta = SystemAdmins.automation(server, "BETA");
        problem(beta.get("/tenants/ALPHA/keys"), 403);
        problem(beta.post("/tenants/ALPHA/keys/rotate", "{}"), 403);
        problem(SystemAdmins.system(server).get("/tenants/NOSUCH/keys"), 404, "no tenant NOSUCH");
        problem(api.get("/tenants/ALPHA/keys/rotate"), 404);
    }
}
