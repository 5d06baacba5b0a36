package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Locale;

import static dev.portcullis.admin.api.AdminApiClient.ok;
import static dev.portcullis.admin.api.AdminApiClient.problem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's admin roles are part of its representation: the API shows them, sets them as the tenants file does, and
 * keeps them through a merge patch or a password change, which write the user back.
 */
class AdminUserRolesApiTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(AdminTenants.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rolesSurviveDisablingEnablingAndANewPassword(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = new AdminApiClient(server, AdminTenants.automationToken(server, "ALPHA"));
        String name = "admin-" + store.name().toLowerCase(Locale.ROOT);

        JsonNode created = ok(api.post("/tenants/ALPHA/users", """
                { "username": "%s", "password": "first password of an admin", "roles": [ "partition_admin" ] }""".formatted(name)), 201);
        String path = "/tenants/ALPHA/users/" + created.path("id").asText();
        assertThat(created.path("roles")).hasSize(1);
        assertThat(created.path("roles").get(0).asText()).isEqualTo("partition_admin");

        HttpResponse<String> read = api.get(path);
        JsonNode disabled = ok(api.patch(path, "{ \"enabled\": false }", read.headers().firstValue("ETag").orElseThrow()), 200);
        assertThat(disabled.path("roles").get(0).asText()).isEqualTo("partition_admin");
        read = api.get(path);
        ok(api.patch(path, "{ \"enabled\": true }", read.headers().firstValue("ETag").orElseThrow()), 200);
        assertThat(api.put(path + "/password", "{ \"password\": \"second password of an admin\" }", null).statusCode()).isEqualTo(204);
        assertThat(ok(api.get(path), 200).path("roles").get(0).asText()).isEqualTo("partition_admin");

        read = api.get(path);
        assertThat(ok(api.patch(path, "{ \"roles\": [] }", read.headers().firstValue("ETag").orElseThrow()), 200).path("roles"))
                .isEmpty();
        read = api.get(path);
        problem(api.patch(path, "{ \"roles\": [ \"system_admin\" ] }", read.headers().firstValue("ETag").orElseThrow()), 400,
                "system_admin");
    }
}
