package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static dev.portcullis.admin.api.AdminApiClient.ok;
import static dev.portcullis.admin.api.AdminApiClient.problem;
import static dev.portcullis.admin.api.SystemAdmins.suffix;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's audit trail through the admin API: earlier changes newest first, narrowed by actor, action and time,
 * paged by cursor, each with who did it and what changed, and never a secret's value.
 */
class AdminAuditEventsApiTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(SystemAdmins.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    /** The items' own ids (a tenant event's changes hold an "id" member too). */
    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void earlierChangesAreListedNewestFirstWithFiltersAndPagesAndNoSecretValues(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient system = SystemAdmins.system(server);
        AdminApiClient operator = SystemAdmins.operator(server);
        String tenantId = "AUDIT-" + suffix(store);
        String events = "/tenants/" + tenantId + "/audit-events";

        ok(system.post("/tenants", "{ \"id\": \"" + tenantId + "\", \"name\": \"Audited\" }"), 201);
        ok(operator.post("/tenants/" + tenantId + "/scopes", "{ \"name\": \"app.read\", \"kind\": \"application\" }"), 201);
        HttpResponse<String> client = operator.post("/tenants/" + tenantId + "/clients", "{ \"client_id\": \"c1\", \"name\": \"C1\", "
                + "\"platform\": \"web\", \"scopes\": [ \"app.read\" ] }");
        ok(client, 201);
        String secret = ok(operator.post("/tenants/" + tenantId + "/clients/c1/secrets", "{}"), 201).path("value").asText();
        ok(operator.patch("/tenants/" + tenantId + "/clients/c1", "{ \"name\": \"C1 renamed\" }",
                client.headers().firstValue("ETag").orElseThrow()), 200);
        String tenantEtag = system.get("/tenants/" + tenantId).headers().firstValue("ETag").orElseThrow();
        ok(system.patch("/tenants/" + tenantId, "{ \"access_token_ttl\": 600 }", tenantEtag), 200);

        HttpResponse<String> all = system.get(events);
        JsonNode items = ok(all, 200).path("items");
        assertThat(items.findValuesAsText("action")).containsExactly("tenant.updated", "client.updated", "client.secret.created",
                "client.created", "scope.created", "tenant.created");
        assertThat(ids(items)).isSortedAccordingTo((a, b) -> b.compareTo(a)).doesNotHaveDuplicates();
        assertThat(all.body()).doesNotContain(secret);

        // a system administrator's change of a tenant is the changed tenant's event
        JsonNode created = items.get(5);
        assertThat(created.path("tenant").asText()).isEqualTo(tenantId);
        assertThat(created.path("resource").asText()).isEqualTo("tenant");
        assertThat(created.path("actor").path("tenant").asText()).isEqualTo("system");
        assertThat(created.path("actor").path("client_id").asText()).isEqualTo("automation");
        assertThat(created.path("actor").path("subject").asText()).isNotBlank();
        assertThat(created.path("actor").path("actor_type").asText()).isEqualTo("client_app");
        assertThat(created.path("changes").path("name").path("to").asText()).isEqualTo("Audited");
        assertThat(Instant.parse(created.path("occurred_at").asText())).isBetween(Instant.now().minus(5, ChronoUnit.MINUTES),
                Instant.now().plusSeconds(5));
        assertThat(items.get(0).path("changes").path("access_token_ttl").path("from").asInt()).isEqualTo(3600);
        assertThat(items.get(0).path("changes").path("access_token_ttl").path("to").asInt()).isEqualTo(600);
        assertThat(items.get(1).path("changes").path("name").path("to").asText()).isEqualTo("C1 renamed");
        assertThat(ok(system.get("/tenants/system/audit-events?limit=200"), 200).findValuesAsText("resource")).doesNotContain("tenant");

        JsonNode secretEvent = items.get(2);
        HttpResponse<String> one = system.get(events + "/" + secretEvent.path("id").asText());
        assertThat(ok(one, 200)).isEqualTo(secretEvent);
        assertThat(one.body()).doesNotContain(secret);

        assertThat(ok(system.get(events + "?action=client."), 200).findValuesAsText("action"))
                .containsExactly("client.updated", "client.secret.created", "client.created");
        assertThat(ok(system.get(events + "?action=client.secret.created"), 200).path("items")).hasSize(1);
        assertThat(ok(system.get(events + "?action=client"), 200).path("items")).isEmpty();
        assertThat(ok(system.get(events + "?action=client%25"), 200).path("items")).isEmpty();
        assertThat(ok(system.get(events + "?actor=operator"), 200).findValuesAsText("action"))
                .containsExactly("client.updated", "client.secret.created", "client.created", "scope.created");
        assertThat(ok(system.get(events + "?actor=automation&action=tenant."), 200).path("items")).hasSize(2);
        assertThat(ok(system.get(events + "?actor=nobody"), 200).path("items")).isEmpty();

        String hourAgo = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        String inAnHour = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(ok(system.get(events + "?since=" + hourAgo + "&until=" + inAnHour), 200).path("items")).hasSize(6);
        assertThat(ok(system.get(events + "?since=" + inAnHour), 200).path("items")).isEmpty();
        assertThat(ok(system.get(events + "?until=" + hourAgo), 200).path("items")).isEmpty();
        assertThat(ok(system.get(events + "?since=" + encoded("2000-01-01T01:00:00+01:00")), 200).path("items")).hasSize(6);
        problem(system.get(events + "?since=" + inAnHour + "&until=" + hourAgo), 400, "until must be after since");
        problem(system.get(events + "?since=yesterday"), 400, "RFC 3339");
        problem(system.get(events + "?until=2026-13-01T00:00:00Z"), 400, "RFC 3339");

        List<String> paged = new ArrayList<>();
        String next = events + "?limit=4";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = system.get(next);
            JsonNode body = ok(page, 200);
            body.path("items").forEach(item -> paged.add(item.path("id").asText()));
            pages++;
            next = body.has("next_cursor") ? events + "?limit=4&cursor=" + body.path("next_cursor").asText() : null;
            assertThat(page.headers().firstValue("Link").isPresent()).isEqualTo(next != null);
        }
        assertThat(pages).isEqualTo(2);
        assertThat(paged).isEqualTo(ids(items));
        problem(system.get(events + "?cursor=!!!"), 400, "cursor");
        problem(system.get(events + "?cursor=" + Cursors.encode("not-an-event-id")), 400, "cursor");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTenantReadsOnlyItsOwnEvents(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient alpha = SystemAdmins.automation(server, "ALPHA");
        String scope = "audited-" + suffix(store);
        ok(alpha.post("/tenants/ALPHA/scopes", "{ \"name\": \"" + scope + "\", \"kind\": \"application\" }"), 201);
        JsonNode event = ok(alpha.get("/tenants/ALPHA/audit-events?action=scope.created"), 200).path("items").get(0);
        assertThat(event.path("resource").asText()).isEqualTo("scopes/" + scope);
        assertThat(event.path("actor").path("tenant").asText()).isEqualTo("ALPHA");
        assertThat(ok(alpha.get("/tenants/ALPHA/audit-events/" + event.path("id").asText()), 200)).isEqualTo(event);

        AdminApiClient beta = SystemAdmins.automation(server, "BETA");
        problem(beta.get("/tenants/ALPHA/audit-events"), 403);
        problem(beta.get("/tenants/ALPHA/audit-events/" + event.path("id").asText()), 403);
        problem(beta.get("/tenants/BETA/audit-events/" + event.path("id").asText()), 404, "has no audit event");
        problem(alpha.get("/tenants/ALPHA/audit-events/000000000000ffffffffffffffff"), 404, "has no audit event");
        problem(alpha.get("/tenants/ALPHA/audit-events/not%20an%20id"), 404);
        problem(SystemAdmins.system(server).get("/tenants/NOSUCH/audit-events"), 404, "no tenant NOSUCH");
        problem(alpha.delete("/tenants/ALPHA/audit-events/" + event.path("id").asText()), 405);
    }
}
