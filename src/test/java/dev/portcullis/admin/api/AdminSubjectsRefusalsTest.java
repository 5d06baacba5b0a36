package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static dev.portcullis.admin.api.AdminApiClient.ok;
import static dev.portcullis.admin.api.AdminApiClient.problem;
import static dev.portcullis.admin.api.AdminSubjectsApiTest.automation;
import static dev.portcullis.admin.api.AdminSubjectsApiTest.etag;
import static dev.portcullis.admin.api.AdminSubjectsApiTest.suffix;
import static org.assertj.core.api.Assertions.assertThat;

/** What the users and customers resources refuse, with which status and field, and how their lists page and filter. */
class AdminSubjectsRefusalsTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(AdminTenants.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    private static int count(AdminApiClient api, String list) {
        return ok(api.get(list + "?limit=200"), 200).path("items").size();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void invalidInputIsRefusedWithItsFieldAndNothingIsWritten(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "ALPHA");
        String s = suffix(store);
        String users = "/tenants/ALPHA/users";
        String customers = "/tenants/ALPHA/customers";
        ok(api.post(users, "{ \"id\": \"bad-" + s + "\", \"username\": \"bad-" + s + "\", \"email\": \"bad-" + s + "@example.com\" }"),
                201);
        ok(api.post(customers, "{ \"id\": \"bad-" + s + "\", \"email\": \"bad-" + s + "@example.com\" }"), 201);
        int usersBefore = count(api, users);
        int customersBefore = count(api, customers);

        assertField(problem(api.post(users, "{ \"username\": \"x-" + s + "\", \"email\": \"not-an-email\" }"), 400,
                "is not an email address"), "email");
        assertField(problem(api.post(users, "{ \"username\": \"PA\" }"), 409, "username"), "username");
        assertField(problem(api.post(users, "{ \"username\": \"y-" + s + "\", \"email\": \"BAD-" + s + "@example.com\" }"), 409,
                "email"), "email");
        assertField(problem(api.post(users, "{ \"id\": \"bad-" + s + "\", \"username\": \"z-" + s + "\" }"), 409), "id");
        assertField(problem(api.post(users, "{ \"username\": \"w-" + s + "\", \"password\": \"1234567\" }"), 400,
                "at least 8 characters"), "password");
        assertField(problem(api.post(users, "{ \"username\": \"w-" + s + "\", \"password\": \"" + "p".repeat(1025) + "\" }"), 400,
                "at most 1024"), "password");
        assertField(problem(api.post(users, "{ \"username\": \"w-" + s + "\", \"password_hash\": \"$argon2id$v=19$x\" }"), 400),
                "password_hash");
        assertField(problem(api.post(users, "{ \"id\": \"has space\", \"username\": \"v-" + s + "\" }"), 400, "URL"), "id");
        assertField(problem(api.post(users, "{ \"username\": \"v-" + s + "\", \"enabled\": \"maybe\" }"), 400), "enabled");
        problem(api.post(users, "{ \"email\": \"v-" + s + "@example.com\" }"), 400, "'username' is required");
        assertField(problem(api.post(customers, "{ \"username\": \"c-" + s + "\", \"email\": \"c-" + s + "@example.com\" }"), 400,
                "unknown key 'username'"), "username");
        problem(api.post(customers, "{ }"), 400, "'email' is required");
        assertField(problem(api.post(customers, "{ \"email\": \"Bad-" + s + "@Example.com\" }"), 409), "email");

        String user = users + "/bad-" + s;
        HttpResponse<String> read = api.get(user);
        problem(api.patch(user, "{ \"email\": \"x@example.com\" }", null), 428, "If-Match");
        assertField(problem(api.patch(user, "{ \"password\": \"long enough password\" }", etag(read)), 400,
                "/password"), "password");
        assertField(problem(api.put(user, "{ \"username\": \"bad-" + s + "\", \"password\": \"long enough password\" }",
                etag(read)), 400, "password-reset"), "password");
        assertField(problem(api.patch(user, "{ \"email\": \"nope\" }", etag(read)), 400, "not an email address"), "email");
        assertField(problem(api.patch(user, "{ \"id\": \"other\" }", etag(read)), 400, "cannot change"), "id");
        assertField(problem(api.patch(user, "{ \"username\": \"Pa\" }", etag(read)), 409), "username");
        assertField(problem(api.put(user + "/password", "{ \"password\": \"short\" }", null), 400, "at least 8"), "password");
        assertField(problem(api.put(user + "/password", "{ \"password\": 123456789 }", null), 400, "string"), "password");
        assertField(problem(api.put(user + "/password", "{ \"password\": \"long enough\", \"user\": 1 }", null), 400), "user");
        problem(api.put(users + "/nobody-" + s + "/password", "{ \"password\": \"long enough\" }", null), 404, "no user nobody-" + s);
        problem(api.post(users + "/nobody-" + s + "/password-reset", null), 404);
        problem(api.get(users + "/nobody-" + s), 404);

        HttpResponse<String> renamed = api.patch(user, "{ \"username\": \"bad2-" + s + "\" }", etag(read));
        ok(renamed, 200);
        JsonNode stale = problem(api.patch(user, "{ \"enabled\": false }", etag(read)), 412, "changed");
        assertThat(stale.path("etag").asText()).isEqualTo(etag(renamed));
        assertThat(ok(api.get(user), 200).path("enabled").asBoolean()).isTrue();

        assertThat(count(api, users)).isEqualTo(usersBefore);
        assertThat(count(api, customers)).isEqualTo(customersBefore);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void callersReachOnlyTheSubjectsOfTheirOwnTenant(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient beta = automation(server, "BETA");
        problem(beta.get("/tenants/ALPHA/users"), 403, "BETA");
        problem(beta.get("/tenants/ALPHA/users/1001"), 403);
        problem(beta.post("/tenants/ALPHA/customers", "{ \"email\": \"intruder@example.com\" }"), 403);
        problem(beta.patch("/tenants/ALPHA/users/1001", "{ \"enabled\": false }", "*"), 403);
        problem(beta.put("/tenants/ALPHA/users/1001/password", "{ \"password\": \"taken over now\" }", null), 403);
        problem(beta.post("/tenants/ALPHA/users/1001/password-reset", null), 403);
        problem(beta.delete("/tenants/ALPHA/users/1001/sessions"), 403);
        problem(new AdminApiClient(server, null).get("/tenants/ALPHA/users"), 401);
        assertThat(ok(automation(server, "ALPHA").get("/tenants/ALPHA/users/1001"), 200).path("enabled").asBoolean()).isTrue();
        HttpResponse<String> wrongMethod = beta.delete("/tenants/BETA/users/someone");
        problem(wrongMethod, 405);
        assertThat(wrongMethod.headers().firstValue("Allow").orElse("")).contains("GET").contains("PUT").contains("PATCH");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void listsPageByIdAndFilterByTheStartOfUsernameOrEmailAndByEnabled(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "BETA");
        String s = suffix(store);
        for (int i = 0; i < 5; i++) {
            ok(api.post("/tenants/BETA/users", "{ \"id\": \"pg-" + s + "-" + i + "\", \"username\": \"Pager-" + s + "-" + i + "\", "
                    + "\"email\": \"" + (i == 0 ? "zed" : "p" + i) + "-" + s + "@example.com\", \"enabled\": " + (i != 3) + " }"), 201);
        }
        List<String> seen = new ArrayList<>();
        String next = "/tenants/BETA/users?q=PAGER-" + s + "&limit=2";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = api.get(next);
            JsonNode body = ok(page, 200);
            body.path("items").forEach(item -> seen.add(item.path("id").asText()));
            pages++;
            next = body.has("next_cursor") ? "/tenants/BETA/users?q=PAGER-" + s + "&limit=2&cursor=" + body.path("next_cursor").asText()
                    : null;
            assertThat(page.headers().firstValue("Link").isPresent()).isEqualTo(next != null);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("pg-" + s + "-0", "pg-" + s + "-1", "pg-" + s + "-2", "pg-" + s + "-3", "pg-" + s + "-4");
        assertThat(ok(api.get("/tenants/BETA/users?q=pager-" + s + "&enabled=false"), 200).findValuesAsText("id"))
                .containsExactly("pg-" + s + "-3");
        assertThat(ok(api.get("/tenants/BETA/users?q=zed-" + s), 200).findValuesAsText("id")).containsExactly("pg-" + s + "-0");
        // LIKE's wildcards are matched as themselves
        assertThat(ok(api.get("/tenants/BETA/users?q=pager_" + s), 200).path("items")).isEmpty();
        assertThat(ok(api.get("/tenants/BETA/users?q=%25"), 200).path("items")).isEmpty();
        assertThat(ok(api.get("/tenants/BETA/users?q=ager-" + s), 200).path("items")).isEmpty();
        assertThat(ok(api.get("/tenants/BETA/customers"), 200).path("items")).isEmpty();
        problem(api.get("/tenants/BETA/users?enabled=yes"), 400, "enabled");
        problem(api.get("/tenants/BETA/users?cursor=!!!"), 400, "cursor");
        problem(api.get("/tenants/NOSUCH/users"), 403);
    }

    private static void assertField(JsonNode problem, String field) {
        assertThat(problem.path("field").asText()).as(problem.toString()).isEqualTo(field);
    }
}
