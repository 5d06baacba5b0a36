package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
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
import static dev.portcullis.admin.api.SystemAdmins.suffix;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenants through the admin API: system administrators (the {@code system} tenant's automation client) list, create
 * and change them; a tenant's own administrators only read theirs. A new tenant works at once, a disabled one stops.
 */
class AdminTenantsApiTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(SystemAdmins.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    /** A tenant with scope app.read and a client "worker" holding it; returns the worker's secret. */
    private static String tenantWithWorker(AdminApiClient system, String tenantId, String settings) {
        ok(system.post("/tenants", "{ \"id\": \"" + tenantId + "\", \"name\": \"Tenant " + tenantId + "\"" + settings + " }"), 201);
        ok(system.post("/tenants/" + tenantId + "/scopes", "{ \"name\": \"app.read\", \"kind\": \"application\" }"), 201);
        ok(system.post("/tenants/" + tenantId + "/clients", "{ \"client_id\": \"worker\", \"name\": \"Worker\", \"platform\": \"web\", "
                + "\"scopes\": [ \"app.read\" ] }"), 201);
        return ok(system.post("/tenants/" + tenantId + "/clients/worker/secrets", "{}"), 201).path("value").asText();
    }

    private static HttpResponse<String> workerToken(TestServer server, String tenantId, String secret) {
        return server.postForm("/system/auth/" + tenantId + "-U/oauth2/token", form("grant_type", "client_credentials",
                "client_id", "worker", "client_secret", secret, "scope", "app.read"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSystemAdministratorCreatesATenantInWhichANewClientGetsATokenAtOnce(StoreKind store) throws Exception {
        TestServer server = SERVERS.get(store);
        AdminApiClient system = SystemAdmins.system(server);
        String tenantId = "NEW-" + suffix(store);

        HttpResponse<String> created = system.post("/tenants", "{ \"id\": \"" + tenantId + "\", \"name\": \"New\", "
                + "\"access_token_ttl\": 900 }");
        JsonNode tenant = ok(created, 201);
        assertThat(created.headers().firstValue("Location")).contains("/admin/api/v1/tenants/" + tenantId);
        assertThat(created.headers().firstValue("ETag")).isPresent();
        assertThat(tenant.path("access_token_ttl").asInt()).isEqualTo(900);
        // the tenants file's defaults for what the body left out
        assertThat(tenant.path("refresh_token_idle_ttl").asInt()).isEqualTo(604_800);
        assertThat(tenant.path("login_throttle").path("account_free_failures").asInt()).isEqualTo(5);
        assertThat(tenant.path("signing_key_rotation_days").asInt()).isEqualTo(90);
        assertThat(tenant.path("signing_alg").isNull()).isTrue();
        assertThat(tenant.path("access_token_typ").asText()).isEqualTo("at+jwt");
        assertThat(tenant.path("enabled").asBoolean()).isTrue();
        HttpResponse<String> read = system.get("/tenants/" + tenantId);
        assertThat(ok(read, 200)).isEqualTo(tenant);
        assertThat(read.headers().firstValue("ETag")).isEqualTo(created.headers().firstValue("ETag"));

        ok(system.post("/tenants/" + tenantId + "/scopes", "{ \"name\": \"app.read\", \"kind\": \"application\" }"), 201);
        ok(system.post("/tenants/" + tenantId + "/clients", "{ \"client_id\": \"worker\", \"name\": \"Worker\", \"platform\": \"web\", "
                + "\"scopes\": [ \"app.read\" ] }"), 201);
        String secret = ok(system.post("/tenants/" + tenantId + "/clients/worker/secrets", "{}"), 201).path("value").asText();
        JWTClaimsSet claims = assertToken(workerToken(server, tenantId, secret)).getJWTClaimsSet();
        assertThat(claims.getIssuer()).endsWith("/system/auth/" + tenantId + "-U");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(900_000L);

        problem(system.post("/tenants", "{ \"id\": \"" + tenantId + "\", \"name\": \"Again\" }"), 409, "already exists");
        // the reserved tenant exists wherever a system administrator can call
        problem(system.post("/tenants", "{ \"id\": \"system\", \"name\": \"Another system\" }"), 409, "tenant system already exists");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void disablingATenantRefusesItsTokensAndEnablingItRestoresThem(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient system = SystemAdmins.system(server);
        String tenantId = "OFF-" + suffix(store);
        String secret = tenantWithWorker(system, tenantId, "");
        assertToken(workerToken(server, tenantId, secret));

        String etag = system.get("/tenants/" + tenantId).headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> disabled = system.patch("/tenants/" + tenantId, "{ \"enabled\": false }", etag);
        assertThat(ok(disabled, 200).path("enabled").asBoolean()).isFalse();
        assertError(workerToken(server, tenantId, secret), 404, "not_found", "unknown tenant");

        ok(system.patch("/tenants/" + tenantId, "{ \"enabled\": true }", disabled.headers().firstValue("ETag").orElseThrow()), 200);
        assertToken(workerToken(server, tenantId, secret));
        assertThat(ok(system.get("/tenants/" + tenantId + "/audit-events?action=tenant."), 200).findValuesAsText("action"))
                .containsExactly("tenant.enabled", "tenant.disabled", "tenant.created");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTenantsOwnAutomationClientReadsItsTenantButCannotListCreateOrChangeTenants(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient alpha = SystemAdmins.automation(server, "ALPHA");
        problem(alpha.get("/tenants"), 403, "system administrators");
        problem(alpha.post("/tenants", "{ \"id\": \"MINE-" + suffix(store) + "\", \"name\": \"Mine\" }"), 403, "system administrators");
        HttpResponse<String> own = alpha.get("/tenants/ALPHA");
        assertThat(ok(own, 200).path("name").asText()).isEqualTo("Alpha");
        String etag = own.headers().firstValue("ETag").orElseThrow();
        problem(alpha.patch("/tenants/ALPHA", "{ \"access_token_ttl\": 600 }", etag), 403, "system administrators");
        problem(alpha.put("/tenants/ALPHA", "{ \"id\": \"ALPHA\", \"name\": \"Alpha\" }", etag), 403, "system administrators");
        problem(alpha.get("/tenants/BETA"), 403, "ALPHA only");
        problem(alpha.get("/tenants/NOSUCH"), 403);
        assertThat(ok(alpha.get("/tenants/ALPHA"), 200).path("access_token_ttl").asInt()).isEqualTo(3600);

        AdminApiClient system = SystemAdmins.system(server);
        assertThat(ok(system.get("/tenants/ALPHA"), 200).path("id").asText()).isEqualTo("ALPHA");
        problem(system.get("/tenants/NOSUCH"), 404, "no tenant NOSUCH");
        problem(system.patch("/tenants/NOSUCH", "{ \"name\": \"x\" }", "*"), 404, "no tenant NOSUCH");
        problem(system.delete("/tenants/ALPHA"), 405);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void changesNeedTheCurrentEtagAndFollowTheTenantsFilesRules(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient system = SystemAdmins.system(server);
        String path = "/tenants/EDIT-" + suffix(store);
        ok(system.post("/tenants", "{ \"id\": \"EDIT-" + suffix(store) + "\", \"name\": \"Edit\", \"access_token_ttl\": 600 }"), 201);
        String etag = system.get(path).headers().firstValue("ETag").orElseThrow();

        problem(system.patch(path, "{ \"name\": \"No precondition\" }", null), 428, "If-Match");
        HttpResponse<String> merged = system.patch(path, "{ \"login_throttle\": { \"window_seconds\": 600 } }", etag);
        JsonNode tenant = ok(merged, 200);
        assertThat(tenant.path("login_throttle").path("window_seconds").asInt()).isEqualTo(600);
        assertThat(tenant.path("login_throttle").path("account_free_failures").asInt()).isEqualTo(5);
        assertThat(tenant.path("access_token_ttl").asInt()).isEqualTo(600);
        problem(system.patch(path, "{ \"name\": \"Stale\" }", etag), 412, "changed");
        etag = merged.headers().firstValue("ETag").orElseThrow();

        problem(system.patch(path, "{ \"id\": \"OTHER\" }", etag), 400, "cannot change");
        assertThat(problem(system.patch(path, "{ \"access_token_ttl\": 5 }", etag), 400,
                "'access_token_ttl' must be between 60 and 86400").path("field").asText()).isEqualTo("access_token_ttl");
        problem(system.patch(path, "{ \"refresh_token_idle_ttl\": 7200, \"refresh_token_absolute_ttl\": 3600 }", etag), 400,
                "refresh_token_idle_ttl cannot exceed refresh_token_absolute_ttl");
        problem(system.patch(path, "{ \"signing_alg\": \"HS256\" }", etag), 400, "signing_alg must be one of");
        problem(system.patch(path, "{ \"access_token_typ\": \"jwt\" }", etag), 400, "access_token_typ must be at+jwt or JWT");
        problem(system.patch(path, "{ \"login_throttle\": { \"address_free_failures\": 1 } }", etag), 400,
                "address_free_failures (1) must be at least account_free_failures (5)");
        assertThat(problem(system.patch(path, "{ \"scopes\": [] }", etag), 400, "/tenants/{tenant}/scopes").path("field").asText())
                .isEqualTo("scopes");

        HttpResponse<String> signing = system.patch(path, "{ \"signing_alg\": \"ES256\", \"access_token_typ\": \"JWT\" }", etag);
        assertThat(ok(signing, 200).path("signing_alg").asText()).isEqualTo("ES256");
        // PUT replaces: what it leaves out takes the tenants file's defaults
        HttpResponse<String> replaced = system.put(path, "{ \"name\": \"Replaced\" }", signing.headers().firstValue("ETag").orElseThrow());
        JsonNode after = ok(replaced, 200);
        assertThat(after.path("name").asText()).isEqualTo("Replaced");
        assertThat(after.path("access_token_ttl").asInt()).isEqualTo(3600);
        assertThat(after.path("login_throttle").path("window_seconds").asInt()).isEqualTo(900);
        assertThat(after.path("signing_alg").isNull()).isTrue();
        assertThat(ok(system.get(path), 200)).isEqualTo(after);

        String systemEtag = system.get("/tenants/system").headers().firstValue("ETag").orElseThrow();
        problem(system.patch("/tenants/system", "{ \"enabled\": false }", systemEtag), 409, "system administrators");
        assertThat(ok(system.get("/tenants/system"), 200).path("enabled").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theAuthorizationSettingsFollowTheFilesRulesAndTheInitialAccessTokenIsNeverShown(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient system = SystemAdmins.system(server);
        String id = "MCP-" + suffix(store);
        String path = "/tenants/" + id;
        JsonNode created = ok(system.post("/tenants", "{ \"id\": \"" + id + "\", \"name\": \"M\" }"), 201);
        assertThat(created.path("resources").isArray()).isTrue();
        assertThat(created.path("resources")).isEmpty();
        assertThat(created.path("client_id_metadata_documents").path("enabled").asBoolean()).isTrue();
        assertThat(created.path("dynamic_registration").path("enabled").asBoolean()).isFalse();
        assertThat(created.path("require_par").asBoolean()).isFalse();
        assertThat(created.path("dpop").path("nonce").asBoolean()).isFalse();
        ok(system.post(path + "/scopes", "{ \"name\": \"mcp.tools\", \"kind\": \"delegated\" }"), 201);
        ok(system.post(path + "/scopes", "{ \"name\": \"app.read\", \"kind\": \"application\" }"), 201);
        String etag = system.get(path).headers().firstValue("ETag").orElseThrow();

        assertThat(problem(system.patch(path, "{ \"resources\": [ \"https://mcp.example.com/#x\" ] }", etag), 400,
                "must not have a fragment").path("field").asText()).isEqualTo("resources");
        assertThat(problem(system.patch(path, "{ \"dynamic_registration\": { \"scopes\": [ \"app.read\" ] } }", etag), 400,
                "registered clients may only get delegated scopes").path("field").asText()).isEqualTo("dynamic_registration");
        HttpResponse<String> changed = system.patch(path, "{ \"resources\": [ \"https://mcp.example.com/mcp\" ], "
                + "\"dynamic_registration\": { \"enabled\": true, \"scopes\": [ \"mcp.tools\" ], "
                + "\"initial_access_token\": \"an-initial-access-token-of-enough-length\" }, \"dpop\": { \"nonce\": true } }", etag);
        JsonNode tenant = ok(changed, 200);
        assertThat(tenant.path("resources").get(0).asText()).isEqualTo("https://mcp.example.com/mcp");
        assertThat(tenant.path("dynamic_registration").path("scopes").get(0).asText()).isEqualTo("mcp.tools");
        assertThat(tenant.path("dpop").path("nonce").asBoolean()).isTrue();
        assertThat(changed.body()).doesNotContain("an-initial-access-token", "initial_access_token");
        assertThat(server.database().sql().queryOne("SELECT registration_token_hash FROM tenants WHERE id = ?",
                row -> row.getString(1), id)).isPresent().get().asString().isNotBlank().doesNotContain("an-initial");
        // a read-modify-write of the representation, which leaves the token out, keeps it
        HttpResponse<String> replaced = system.put(path, tenant.toString(), changed.headers().firstValue("ETag").orElseThrow());
        assertThat(ok(replaced, 200)).isEqualTo(tenant);
        assertThat(server.database().sql().queryOne("SELECT registration_token_hash FROM tenants WHERE id = ?",
                row -> row.getString(1), id)).isPresent().get().isNotNull();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTenantBodyHoldsOnlySettingsAndBadOnesWriteNothing(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient system = SystemAdmins.system(server);
        String id = "BAD-" + suffix(store);
        problem(system.post("/tenants", "{ \"id\": \"" + id + "\", \"name\": \"B\", \"scopes\": [] }"), 400,
                "not one of a tenant's settings", "/tenants/{tenant}/scopes");
        problem(system.post("/tenants", "{ \"id\": \"" + id + "\", \"name\": \"B\", \"clients\": [] }"), 400, "/tenants/{tenant}/clients");
        problem(system.post("/tenants", "{ \"id\": \"" + id + "\", \"name\": \"B\", \"identity_providers\": [] }"), 400,
                "/tenants/{tenant}/identity-providers");
        problem(system.post("/tenants", "{ \"id\": \"" + id + "\", \"name\": \"B\", \"users\": [] }"), 400, "users");
        problem(system.post("/tenants", "{ \"id\": \"" + id + "\", \"name\": \"B\", \"customers\": [] }"), 400, "customers");
        problem(system.post("/tenants", "{ \"id\": \"" + id + "\", \"name\": \"B\", \"anonymous_customers\": {} }"), 400,
                "anonymous customers");
        problem(system.post("/tenants", "{ \"id\": \"" + id + "\", \"name\": \"B\", \"colour\": \"red\" }"), 400, "unknown key 'colour'");
        problem(system.post("/tenants", "{ \"id\": \"bad id!\", \"name\": \"B\" }"), 400, "must be 1-64 letters");
        problem(system.post("/tenants", "{ \"id\": \"" + id + "\" }"), 400, "'name' is required");
        problem(system.post("/tenants", "{ \"name\": \"B\" }"), 400, "'id' is required");
        problem(system.post("/tenants", "{ \"id\": \"" + id + "\", \"name\": \"B\", \"enabled\": \"maybe\" }"), 400, "true or false");
        problem(system.post("/tenants", "{ \"id\": \"" + id + "\", \"name\": \"" + "x".repeat(70_000) + "\" }"), 413);
        problem(system.get("/tenants/" + id), 404);
        problem(system.get("/tenants?enabled=maybe"), 400, "enabled");
        problem(system.get("/tenants?cursor=!!!"), 400, "cursor");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theTenantListPagesWithACursorAndFilters(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient system = SystemAdmins.system(server);
        for (int i = 0; i < 5; i++) {
            ok(system.post("/tenants", "{ \"id\": \"PAGE-" + suffix(store) + "-" + i + "\", \"name\": \"Paged " + i + "\", "
                    + "\"enabled\": " + (i % 2 == 0) + " }"), 201);
        }
        List<String> seen = new ArrayList<>();
        String next = "/tenants?name=PAGED&limit=2";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = system.get(next);
            JsonNode body = ok(page, 200);
            body.path("items").forEach(item -> seen.add(item.path("id").asText()));
            pages++;
            next = body.has("next_cursor") ? "/tenants?name=PAGED&limit=2&cursor=" + body.path("next_cursor").asText() : null;
            assertThat(page.headers().firstValue("Link").isPresent()).isEqualTo(next != null);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("PAGE-" + suffix(store) + "-0", "PAGE-" + suffix(store) + "-1", "PAGE-" + suffix(store) + "-2",
                "PAGE-" + suffix(store) + "-3", "PAGE-" + suffix(store) + "-4");
        assertThat(ok(system.get("/tenants?name=paged&enabled=false"), 200).findValuesAsText("id"))
                .containsExactly("PAGE-" + suffix(store) + "-1", "PAGE-" + suffix(store) + "-3");
        assertThat(ok(system.get("/tenants?name=paged_%25"), 200).path("items")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void tenThousandTenantsPageCompletelyInOrder(StoreKind store) {
        TestServer server = SERVERS.get(store);
        // 10,000 tenants in one statement (the API would take minutes to create them one at a time)
        server.database().sql().update("INSERT INTO tenants (id, name, access_token_ttl, enabled, created_at, updated_at) "
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) "
                + "SELECT 'BULK-' || (100000 + i), 'Bulk ' || i, 3600, 1, 0, 0 FROM n");
        AdminApiClient system = SystemAdmins.system(server);
        List<String> seen = new ArrayList<>();
        String next = "/tenants?name=bulk&limit=200";
        while (next != null) {
            JsonNode body = ok(system.get(next), 200);
            body.path("items").forEach(item -> seen.add(item.path("id").asText()));
            next = body.has("next_cursor") ? "/tenants?name=bulk&limit=200&cursor=" + body.path("next_cursor").asText() : null;
        }
        assertThat(seen).hasSize(10_000).doesNotHaveDuplicates().isSorted();
        assertThat(seen.get(0)).isEqualTo("BULK-100001");
        assertThat(seen.get(9_999)).isEqualTo("BULK-110000");
    }
}
