package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.admin.AdminService;
import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.portcullis.admin.api.AdminApiClient.json;
import static dev.portcullis.admin.api.AdminApiClient.ok;
import static dev.portcullis.admin.api.SubjectResource.Kind.CUSTOMERS;
import static dev.portcullis.admin.api.SubjectResource.Kind.USERS;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users and customers through the admin API, as an automation client of the tenant manages them, judged by what
 * the subjects can then do: get an On-Behalf-Of token, sign in on the sign-in page with their password, refresh.
 */
class AdminSubjectsApiTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(AdminTenants.YAML);
    private static final Map<StoreKind, SubjectSignIns> SIGN_INS = new EnumMap<>(StoreKind.class);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    static AdminApiClient automation(TestServer server, String tenant) {
        return new AdminApiClient(server, AdminTenants.automationToken(server, tenant));
    }

    private static synchronized SubjectSignIns signIns(StoreKind store) {
        return SIGN_INS.computeIfAbsent(store, s -> SubjectSignIns.register(SERVERS.get(s), automation(SERVERS.get(s), "ALPHA"),
                suffix(s)));
    }

    static String suffix(StoreKind store) {
        return store.name().toLowerCase(Locale.ROOT);
    }

    static String etag(HttpResponse<String> response) {
        return response.headers().firstValue("ETag").orElseThrow();
    }

    /** The audit events of one subject of ALPHA (and its sub-resources) in the order they happened: action, then changes. */
    static List<String> audit(TestServer server, String resource) {
        return server.database().sql().query("SELECT action, changes FROM audit_events WHERE tenant_id = 'ALPHA' "
                + "AND (resource = ? OR resource LIKE ?) ORDER BY id", row -> row.getString(1) + " " + row.getString(2),
                resource, resource + "/%");
    }

    static List<String> actions(List<String> events) {
        return events.stream().map(event -> event.substring(0, event.indexOf(' '))).toList();
    }

    /**
     * Events of one change sort by the millisecond they were recorded in and then at random (AuditEventRepository.newId),
     * so a test finds one by its action rather than by its place.
     */
    static String event(List<String> events, String action) {
        return events.stream().filter(event -> event.startsWith(action + " ")).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aUserIsCreatedReadUpdatedAndDisabledAndItsTokensFollow(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "ALPHA");
        SubjectSignIns signIns = signIns(store);
        String s = suffix(store);

        HttpResponse<String> created = api.post("/tenants/ALPHA/users", """
                { "username": "Ann-%1$s", "email": "ann-%1$s@example.com", "password": "ann's first password" }""".formatted(s));
        JsonNode user = ok(created, 201);
        String id = user.path("id").asText();
        String path = "/tenants/ALPHA/users/" + id;
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(created.headers().firstValue("Location")).contains("/admin/api/v1" + path);
        List<String> members = new ArrayList<>();
        user.fieldNames().forEachRemaining(members::add);
        assertThat(members).containsExactly("id", "username", "email", "enabled", "roles");
        assertThat(created.body()).doesNotContainIgnoringCase("password");
        HttpResponse<String> read = api.get(path);
        assertThat(ok(read, 200)).isEqualTo(user);
        assertThat(etag(read)).isEqualTo(etag(created));

        assertToken(signIns.onBehalfOf(USERS, "ann-" + s));
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String refresh = signIns.signIn(browser, USERS, "ANN-" + s, "ann's first password").orElseThrow().path("refresh_token").asText();
        HttpResponse<String> refreshed = signIns.refresh(USERS, refresh);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        refresh = json(refreshed).path("refresh_token").asText();

        HttpResponse<String> patched = api.patch(path, "{ \"email\": \"ann.new-" + s + "@example.com\" }", etag(read));
        assertThat(ok(patched, 200).path("email").asText()).isEqualTo("ann.new-" + s + "@example.com");
        assertThat(ok(patched, 200).path("username").asText()).isEqualTo("Ann-" + s);
        HttpResponse<String> replaced = api.put(path, "{ \"username\": \"ann-" + s + "\" }", etag(patched));
        assertThat(ok(replaced, 200).path("email").isNull()).isTrue();
        assertThat(ok(replaced, 200).path("username").asText()).isEqualTo("ann-" + s);

        HttpResponse<String> disabled = api.patch(path, "{ \"enabled\": false }", etag(replaced));
        assertThat(ok(disabled, 200).path("enabled").asBoolean()).isFalse();
        assertError(signIns.onBehalfOf(USERS, "ann-" + s), 400, "invalid_grant", "no active user");
        assertThat(signIns.signIn(new BrowserClient(server.baseUrl()), USERS, "ann-" + s, "ann's first password")).isEmpty();
        assertThat(signIns.signedIn(browser, USERS)).isFalse();
        assertError(signIns.refresh(USERS, refresh), 400, "invalid_grant", "revoked");

        // enabled again, it signs in anew: what it had before it was disabled stays ended
        ok(api.patch(path, "{ \"enabled\": true }", etag(disabled)), 200);
        assertToken(signIns.onBehalfOf(USERS, "ann-" + s));
        assertError(signIns.refresh(USERS, refresh), 400, "invalid_grant", "revoked");
        assertThat(signIns.signIn(browser, USERS, "ann-" + s, "ann's first password")).isPresent();

        List<String> events = audit(server, "users/" + id);
        assertThat(actions(events)).hasSize(6).startsWith("user.created", "user.updated", "user.updated").endsWith("user.enabled");
        assertThat(actions(events).subList(3, 5)).as("one change, one millisecond: either order")
                .containsExactlyInAnyOrder("user.disabled", "user.sessions.ended");
        assertThat(events.get(0)).contains("\"password\":{\"changed\":true}").doesNotContain("ann's first password");
        assertThat(event(events, "user.sessions.ended")).contains("\"sessions\":{\"to\":1}")
                .contains("\"refresh_token_families\":{\"to\":1}");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCustomerIsCreatedReplacedAndDisabledAndItsTokensFollow(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "ALPHA");
        SubjectSignIns signIns = signIns(store);
        String s = suffix(store);

        HttpResponse<String> created = api.post("/tenants/ALPHA/customers", """
                { "id": "cus-%1$s", "email": "Jo-%1$s@example.com", "password": "jo's first password" }""".formatted(s));
        JsonNode customer = ok(created, 201);
        assertThat(customer.has("username")).isFalse();
        assertThat(customer.path("email").asText()).isEqualTo("Jo-" + s + "@example.com");
        assertThat(created.headers().firstValue("Location")).contains("/admin/api/v1/tenants/ALPHA/customers/cus-" + s);
        String path = "/tenants/ALPHA/customers/cus-" + s;
        assertToken(signIns.onBehalfOf(CUSTOMERS, "jo-" + s + "@example.com"));
        assertThat(signIns.signIn(new BrowserClient(server.baseUrl()), CUSTOMERS, "jo-" + s + "@example.com", "jo's first password"))
                .isPresent();
        AdminApiClient.problem(api.get("/tenants/ALPHA/users/cus-" + s), 404, "no user cus-" + s);

        HttpResponse<String> replaced = api.put(path, "{ \"email\": \"jo.new-" + s + "@example.com\" }", etag(created));
        assertThat(ok(replaced, 200).path("email").asText()).isEqualTo("jo.new-" + s + "@example.com");
        assertError(signIns.onBehalfOf(CUSTOMERS, "jo-" + s + "@example.com"), 400, "invalid_grant");
        assertToken(signIns.onBehalfOf(CUSTOMERS, "jo.new-" + s + "@example.com"));

        ok(api.patch(path, "{ \"enabled\": false }", etag(replaced)), 200);
        assertError(signIns.onBehalfOf(CUSTOMERS, "jo.new-" + s + "@example.com"), 400, "invalid_grant", "no active customer");
        assertThat(signIns.signIn(new BrowserClient(server.baseUrl()), CUSTOMERS, "jo.new-" + s + "@example.com",
                "jo's first password")).isEmpty();
        List<String> actions = actions(audit(server, "customers/cus-" + s));
        assertThat(actions).hasSize(4).startsWith("customer.created", "customer.updated");
        assertThat(actions.subList(2, 4)).containsExactlyInAnyOrder("customer.disabled", "customer.sessions.ended");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPasswordSetOrResetThroughTheApiSignsInAndIsNeverShownOrRecorded(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "ALPHA");
        SubjectSignIns signIns = signIns(store);
        String s = suffix(store);
        String path = "/tenants/ALPHA/users/pw-" + s;
        HttpResponse<String> created = api.post("/tenants/ALPHA/users", "{ \"id\": \"pw-" + s + "\", \"username\": \"pw-" + s + "\" }");
        ok(created, 201);
        assertThat(signIns.signIn(new BrowserClient(server.baseUrl()), USERS, "pw-" + s, "chosen password 1")).isEmpty();

        assertThat(api.put(path + "/password", "{ \"password\": \"chosen password 1\" }", null).statusCode()).isEqualTo(204);
        assertThat(signIns.signIn(new BrowserClient(server.baseUrl()), USERS, "pw-" + s, "chosen password 1")).isPresent();
        assertThat(PasswordHasher.verify("chosen password 1", storedHash(server, "pw-" + s))).isTrue();
        HttpResponse<String> read = api.get(path);
        assertThat(etag(read)).as("a password is no part of the representation or its ETag").isEqualTo(etag(created));

        HttpResponse<String> reset = api.post(path + "/password-reset", null);
        String generated = ok(reset, 200).path("password").asText();
        assertThat(generated).hasSize(20).matches("[" + SubjectSignInResource.READABLE + "]+");
        assertThat(reset.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(signIns.signIn(new BrowserClient(server.baseUrl()), USERS, "pw-" + s, "chosen password 1")).isEmpty();
        assertThat(signIns.signIn(new BrowserClient(server.baseUrl()), USERS, "pw-" + s, generated)).isPresent();
        assertThat(ok(api.post(path + "/password-reset", null), 200).path("password").asText()).isNotEqualTo(generated);

        List<String> events = audit(server, "users/pw-" + s);
        assertThat(actions(events)).containsExactly("user.created", "user.password.set", "user.password.reset",
                "user.password.reset");
        assertThat(events.get(1)).endsWith(" {\"password\":{\"changed\":true}}");
        List<String> everything = server.database().sql().query("SELECT changes FROM audit_events", row -> row.getString(1));
        assertThat(everything).noneMatch(changes -> changes.contains("chosen password 1") || changes.contains(generated)
                || changes.contains("$argon2id$"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void endingSessionsSignsTheSubjectOutEverywhereAndItMaySignInAgain(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "ALPHA");
        SubjectSignIns signIns = signIns(store);
        String s = suffix(store);
        String email = "out-" + s + "@example.com";
        ok(api.post("/tenants/ALPHA/customers", "{ \"id\": \"out-" + s + "\", \"email\": \"" + email
                + "\", \"password\": \"password of out\" }"), 201);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String refresh = signIns.signIn(browser, CUSTOMERS, email, "password of out").orElseThrow().path("refresh_token").asText();
        String other = signIns.signIn(new BrowserClient(server.baseUrl()), CUSTOMERS, email, "password of out").orElseThrow()
                .path("refresh_token").asText();
        assertThat(signIns.signedIn(browser, CUSTOMERS)).isTrue();

        assertThat(api.delete("/tenants/ALPHA/customers/out-" + s + "/sessions").statusCode()).isEqualTo(204);
        assertThat(signIns.signedIn(browser, CUSTOMERS)).isFalse();
        assertError(signIns.refresh(CUSTOMERS, refresh), 400, "invalid_grant", "revoked");
        assertError(signIns.refresh(CUSTOMERS, other), 400, "invalid_grant", "revoked");
        assertToken(signIns.onBehalfOf(CUSTOMERS, email));
        assertThat(signIns.signIn(browser, CUSTOMERS, email, "password of out")).isPresent();

        List<String> events = audit(server, "customers/out-" + s);
        assertThat(actions(events)).containsExactly("customer.created", "customer.sessions.ended");
        // the authorize request of signedIn() left a code unredeemed, which expired with the sessions
        assertThat(event(events, "customer.sessions.ended")).contains("\"sessions\":{\"to\":2}").contains("\"refresh_token_families\":{\"to\":2}")
                .contains("\"authorization_codes\":{\"to\":1}");
        AdminApiClient.problem(api.delete("/tenants/ALPHA/customers/nobody-" + s + "/sessions"), 404, "nobody");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void disablingOnTheCommandLineAlsoEndsSessionsAndRefreshTokens(StoreKind store) {
        TestServer server = SERVERS.get(store);
        AdminApiClient api = automation(server, "ALPHA");
        SubjectSignIns signIns = signIns(store);
        String s = suffix(store);
        ok(api.post("/tenants/ALPHA/users", "{ \"id\": \"cli-" + s + "\", \"username\": \"cli-" + s
                + "\", \"password\": \"password of cli\" }"), 201);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        String refresh = signIns.signIn(browser, USERS, "cli-" + s, "password of cli").orElseThrow().path("refresh_token").asText();

        AdminService admin = new AdminService(server.database().sql(), TestServer.secretHasher(), Clock.systemUTC());
        admin.subjectAdmin().setSubjectEnabled("ALPHA", RealmType.USER, "cli-" + s, false);
        admin.subjectAdmin().setSubjectEnabled("ALPHA", RealmType.USER, "cli-" + s, true);
        // "revoked", not "no longer active": the family was revoked, whatever this instance's cache still says
        assertError(signIns.refresh(USERS, refresh), 400, "invalid_grant", "revoked");
        assertThat(server.database().sql().queryOne("SELECT COUNT(*) FROM browser_sessions WHERE tenant_id = 'ALPHA' "
                + "AND subject_id = ?", row -> row.getInt(1), "cli-" + s)).contains(0);
    }

    private static String storedHash(TestServer server, String id) {
        return server.database().sql().queryOne("SELECT password_hash FROM subjects WHERE tenant_id = 'ALPHA' AND id = ?",
                row -> row.getString(1), id).orElseThrow();
    }
}
