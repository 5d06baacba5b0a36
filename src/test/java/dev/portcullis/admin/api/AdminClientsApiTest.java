package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static dev.portcullis.admin.api.AdminApiClient.ok;
import static dev.portcullis.admin.api.AdminApiClient.problem;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client applications through the admin API, as an automation client of the tenant manages them: create, read,
 * update with If-Match, secrets shown once, metadata, and then a token for the new client with the seed's request.
 */
class AdminClientsApiTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(AdminTenants.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    private static AdminApiClient automation(TestServer server, String tenant) {
        return new AdminApiClient(server, AdminTenants.automationToken(server, tenant));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAutomationClientRegistersAWebClientWhoseOnBehalfOfTokenTheSeedsRequestGets(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "ALPHA");

        HttpResponse<String> created = api.post("/tenants/ALPHA/clients", """
                { "name": "Knowledge portal", "description": "Reads articles for agents", "platform": "web",
                  "scopes": [ "knowledge.portalmgr.onbehalfof.read" ] }""");
        JsonNode client = ok(created, 201);
        String clientId = client.path("client_id").asText();
        assertThat(clientId).matches("[0-9a-f-]{36}");
        assertThat(created.headers().firstValue("Location")).contains("/admin/api/v1/tenants/ALPHA/clients/" + clientId);
        assertThat(created.headers().firstValue("ETag")).isPresent();
        assertThat(client.path("platform").asText()).isEqualTo("web");
        assertThat(client.path("enabled").asBoolean()).isTrue();
        assertThat(client.has("secrets")).isFalse();

        JsonNode secret = ok(api.post("/tenants/ALPHA/clients/" + clientId + "/secrets",
                "{ \"name\": \"ci\", \"expires_at\": \"2099-01-31\" }"), 201);
        String value = secret.path("value").asText();
        assertThat(value).hasSizeGreaterThanOrEqualTo(32);
        assertThat(secret.path("name").asText()).isEqualTo("ci");
        assertThat(secret.path("expires_at").asText()).isEqualTo("2099-01-31T00:00:00Z");
        HttpResponse<String> listed = api.get("/tenants/ALPHA/clients/" + clientId + "/secrets");
        assertThat(ok(listed, 200).path("items")).hasSize(1);
        assertThat(listed.body()).doesNotContain(value);

        JsonNode metadata = ok(api.get("/tenants/ALPHA/clients/" + clientId + "/metadata"), 200);
        String tokenUrl = metadata.path("access_token_url").asText();
        assertThat(tokenUrl).isEqualTo(server.baseUrl() + "/system/auth/ALPHA-U/oauth2/token");
        assertThat(metadata.has("domain_url")).isTrue();
        assertThat(metadata.has("metadata_url")).isTrue();

        // the seed's On-Behalf-Of request, with the values the API gave
        SignedJWT token = assertToken(server.postForm(URI.create(tokenUrl).getPath(), form("grant_type", "password",
                "client_id", clientId, "client_secret", value, "scope", "knowledge.portalmgr.onbehalfof.read",
                "subject_username", "pa")));
        assertThat(token.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(token.getJWTClaimsSet().getStringClaim("actor_type")).isEqualTo("client_on_behalf_of_user");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void updatesNeedTheCurrentEtagAndDisablingStopsTokens(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "ALPHA");
        String path = "/tenants/ALPHA/clients/etag-" + store.name().toLowerCase();
        ok(api.post("/tenants/ALPHA/clients", "{ \"client_id\": \"etag-" + store.name().toLowerCase()
                + "\", \"name\": \"Reporting\", \"platform\": \"web\", \"scopes\": [ \"app.read\" ] }"), 201);
        String secret = ok(api.post(path + "/secrets", "{}"), 201).path("value").asText();
        String clientId = path.substring(path.lastIndexOf('/') + 1);
        assertToken(server.postForm("/system/auth/ALPHA-U/oauth2/token", form("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret, "scope", "app.read")));

        HttpResponse<String> read = api.get(path);
        String etag = read.headers().firstValue("ETag").orElseThrow();
        problem(api.patch(path, "{ \"name\": \"No precondition\" }", null), 428, "If-Match");
        HttpResponse<String> renamed = api.patch(path, "{ \"name\": \"Reports\" }", etag);
        assertThat(ok(renamed, 200).path("name").asText()).isEqualTo("Reports");
        assertThat(ok(renamed, 200).path("scopes").get(0).asText()).isEqualTo("app.read");
        String newEtag = renamed.headers().firstValue("ETag").orElseThrow();
        assertThat(newEtag).isNotEqualTo(etag);

        JsonNode stale = problem(api.patch(path, "{ \"enabled\": false }", etag), 412, "changed");
        assertThat(stale.path("etag").asText()).isEqualTo(newEtag);
        assertThat(ok(api.get(path), 200).path("enabled").asBoolean()).isTrue();

        ok(api.patch(path, "{ \"enabled\": false }", newEtag), 200);
        HttpResponse<String> refused = server.postForm("/system/auth/ALPHA-U/oauth2/token", form("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret, "scope", "app.read"));
        assertThat(AdminApiClient.json(refused).path("error").asText()).as(refused.body()).isEqualTo("invalid_client");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void requireParIsAClientSettingAndDynamicallyRegisteredIsReadOnly(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "ALPHA");
        String id = "par-" + store.name().toLowerCase();
        String path = "/tenants/ALPHA/clients/" + id;
        JsonNode created = ok(api.post("/tenants/ALPHA/clients", "{ \"client_id\": \"" + id + "\", \"name\": \"Pushing SPA\", "
                + "\"platform\": \"spa\", \"scopes\": [ \"deleg.read\" ], \"redirect_uris\": [ \"https://spa.example.com/cb\" ], "
                + "\"dynamically_registered\": false }"), 201);
        assertThat(created.path("require_par").asBoolean()).isFalse();
        assertThat(created.path("dynamically_registered").asBoolean()).as("registered by an administrator").isFalse();

        HttpResponse<String> read = api.get(path);
        HttpResponse<String> patched = api.patch(path, "{ \"require_par\": true }", read.headers().firstValue("ETag").orElseThrow());
        assertThat(ok(patched, 200).path("require_par").asBoolean()).isTrue();
        assertThat(server.database().sql().queryOne("SELECT require_par FROM clients WHERE client_id = ?", row -> row.getInt(1), id))
                .contains(1);
        String etag = patched.headers().firstValue("ETag").orElseThrow();
        problem(api.patch(path, "{ \"dynamically_registered\": true }", etag), 400, "read-only");
        problem(api.post("/tenants/ALPHA/clients", "{ \"name\": \"Pretender\", \"platform\": \"spa\", "
                + "\"dynamically_registered\": true }"), 400, "read-only");
        // a PUT may carry back the representation it read, read-only member included
        JsonNode current = ok(api.get(path), 200);
        assertThat(ok(api.put(path, current.toString(), etag), 200).path("require_par").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void invalidInputIsRefusedAsTheTenantsFileRefusesItAndNothingIsWritten(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "ALPHA");
        int before = ok(api.get("/tenants/ALPHA/clients?limit=200"), 200).path("items").size();

        problem(api.post("/tenants/ALPHA/clients", "{ \"name\": \"X\", \"platform\": \"web\", \"scopes\": [ \"nope\" ] }"), 400,
                "does not define", "nope");
        problem(api.post("/tenants/ALPHA/clients", "{ \"name\": \"X\", \"platform\": \"desktop\" }"), 400, "web, spa or native");
        problem(api.post("/tenants/ALPHA/clients", "{ \"name\": \"X\", \"platform\": \"spa\", \"colour\": \"red\" }"), 400,
                "unknown key 'colour'");
        problem(api.post("/tenants/ALPHA/clients", "{ \"name\": \"X\", \"platform\": \"spa\", "
                + "\"redirect_uris\": [ \"https://a.example/cb#frag\" ] }"), 400);
        problem(api.post("/tenants/ALPHA/clients", "{ \"name\": \"X\", \"platform\": \"web\", \"secrets\": [ \"s\" ] }"), 400,
                "secrets resource");
        problem(api.post("/tenants/ALPHA/clients", "{ \"name\": \"X\", \"name\": \"Y\", \"platform\": \"web\" }"), 400, "JSON");
        problem(api.post("/tenants/ALPHA/clients", "[1]"), 400, "JSON object");
        problem(api.post("/tenants/ALPHA/clients", "{ \"client_id\": \"automation\", \"name\": \"X\", \"platform\": \"web\" }"),
                409, "already has a client automation");
        problem(api.send("POST", "/tenants/ALPHA/clients", null, null), 415);
        problem(api.post("/tenants/ALPHA/clients", "{ \"name\": \"" + "x".repeat(70_000) + "\", \"platform\": \"web\" }"), 413);
        problem(api.get("/tenants/ALPHA/clients?limit=0"), 400, "limit");
        problem(api.get("/tenants/ALPHA/clients?cursor=!!!"), 400, "cursor");

        assertThat(ok(api.get("/tenants/ALPHA/clients?limit=200"), 200).path("items")).hasSize(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aThirdSecretIsRefusedAndADeletedOneStopsWorking(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "ALPHA");
        String clientId = "rotate-" + store.name().toLowerCase();
        String path = "/tenants/ALPHA/clients/" + clientId;
        ok(api.post("/tenants/ALPHA/clients", "{ \"client_id\": \"" + clientId + "\", \"name\": \"Rotating\", \"platform\": "
                + "\"web\", \"scopes\": [ \"app.read\" ] }"), 201);
        JsonNode first = ok(api.post(path + "/secrets", "{}"), 201);
        JsonNode second = ok(api.post(path + "/secrets", "{ \"name\": \"next\" }"), 201);
        assertThat(first.path("name").asText()).isEqualTo("primary");
        problem(api.post(path + "/secrets", "{}"), 409, "already has 2 secrets");
        problem(api.post(path + "/secrets", "{ \"value\": \"mine-0123456789abcdefghijklmnopqrstu\" }"), 400, "generates");
        problem(api.post(path + "/secrets", "{ \"expires_at\": \"tomorrow\" }"), 400, "expires_at");

        assertThat(api.delete(path + "/secrets/" + first.path("id").asText()).statusCode()).isEqualTo(204);
        problem(api.delete(path + "/secrets/" + first.path("id").asText()), 404);
        HttpResponse<String> old = server.postForm("/system/auth/ALPHA-U/oauth2/token", form("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", first.path("value").asText(), "scope", "app.read"));
        assertThat(AdminApiClient.json(old).path("error").asText()).as(old.body()).isEqualTo("invalid_client");
        assertToken(server.postForm("/system/auth/ALPHA-U/oauth2/token", form("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", second.path("value").asText(), "scope", "app.read")));
        problem(api.post("/tenants/ALPHA/clients", "{ \"client_id\": \"spa-" + store.name().toLowerCase()
                + "\", \"name\": \"S\", \"platform\": \"spa\" }").statusCode() == 201
                ? api.post("/tenants/ALPHA/clients/spa-" + store.name().toLowerCase() + "/secrets", "{}") : null, 409, "web clients");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void callersReachOnlyTheirOwnTenantAndOnlyWithTheAdminScope(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient beta = automation(server, "BETA");
        problem(beta.get("/tenants/ALPHA/clients"), 403, "BETA");
        problem(beta.post("/tenants/ALPHA/clients", "{ \"name\": \"Intruder\", \"platform\": \"web\" }"), 403);
        problem(beta.get("/tenants/NOSUCH/clients"), 403);
        assertThat(ok(beta.get("/tenants/BETA/clients"), 200).findValuesAsText("client_id")).contains("automation")
                .noneMatch(id -> id.equals("plain"));

        HttpResponse<String> anonymous = new AdminApiClient(server, null).get("/tenants/ALPHA/clients");
        problem(anonymous, 401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        HttpResponse<String> garbage = new AdminApiClient(server, "not.a.token").get("/tenants/ALPHA/clients");
        problem(garbage, 401);
        assertThat(garbage.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");

        String plain = AdminTenants.clientCredentials(server, "ALPHA", "plain", "app.read");
        HttpResponse<String> noScope = new AdminApiClient(server, plain).get("/tenants/ALPHA/clients");
        problem(noScope, 403);
        assertThat(noScope.headers().firstValue("WWW-Authenticate").orElse("")).contains("insufficient_scope")
                .contains("portcullis.admin.api");
        AdminApiClient alpha = automation(server, "ALPHA");
        problem(alpha.get("/tenants"), 403, "system administrators");
        problem(alpha.get("/tenants/ALPHA/nothing-here"), 404, "openapi.json");
        HttpResponse<String> wrongMethod = alpha.delete("/tenants/ALPHA/clients/automation");
        problem(wrongMethod, 405);
        assertThat(wrongMethod.headers().firstValue("Allow").orElse("")).contains("GET").contains("PATCH");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void listsPageWithACursorAndFilter(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "BETA");
        for (int i = 0; i < 5; i++) {
            ok(api.post("/tenants/BETA/clients", "{ \"client_id\": \"page-" + store.name().toLowerCase() + "-" + i
                    + "\", \"name\": \"Paged " + i + "\", \"platform\": \"" + (i % 2 == 0 ? "spa" : "native") + "\" }"), 201);
        }
        List<String> seen = new ArrayList<>();
        String next = "/tenants/BETA/clients?name=paged&limit=2";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = api.get(next);
            JsonNode body = ok(page, 200);
            body.path("items").forEach(item -> seen.add(item.path("client_id").asText()));
            pages++;
            next = body.has("next_cursor") ? "/tenants/BETA/clients?name=paged&limit=2&cursor=" + body.path("next_cursor").asText()
                    : null;
            assertThat(page.headers().firstValue("Link").isPresent()).isEqualTo(next != null);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(5).isSorted().allMatch(id -> id.startsWith("page-" + store.name().toLowerCase()));
        assertThat(ok(api.get("/tenants/BETA/clients?name=paged&platform=spa"), 200).path("items")).hasSize(3);
    }
}
