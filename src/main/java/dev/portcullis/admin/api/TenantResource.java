package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.Core;
import dev.portcullis.admin.RequestValidator;
import dev.portcullis.admin.SpecWriter;
import dev.portcullis.admin.TenantsFile.TenantSettings;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.AuthorizationColumns;
import dev.portcullis.tenant.AuthorizationSettings;
import dev.portcullis.tenant.RateLimitPolicy;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.TenantRepository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tenants}: the partitions themselves, in the tenants file's field names for a tenant's own settings and
 * checked by its validator. Listing, creating and changing tenants is for system administrators; a tenant's own
 * administrators may read theirs. A tenant is disabled, not deleted, so its tokens, keys and audit trail stay
 * explainable. What a tenant holds (scopes, clients, identity providers...) are resources of their own.
 */
final class TenantResource {

    private static final String PATH = "/tenants";
    /** What a tenant of the tenants file holds besides its settings, and where the admin API manages each instead. */
    private static final Map<String, String> HELD_ELSEWHERE = Map.of(
            "scopes", "at /tenants/{tenant}/scopes",
            "clients", "at /tenants/{tenant}/clients",
            "identity_providers", "at /tenants/{tenant}/identity-providers",
            "users", "as resources of their own, not in the tenant's body",
            "customers", "as resources of their own, not in the tenant's body",
            "anonymous_customers", "by the tenants file, not in the tenant's body");
    /** The audit events' resource for a tenant's own settings: the events are recorded under the tenant's id. */
    static final String AUDIT_RESOURCE = "tenant";
    private static final String COLUMNS = "id, name, enabled, access_token_ttl, refresh_token_idle_ttl, refresh_token_absolute_ttl, "
            + "login_account_free_failures, login_account_max_delay, login_address_free_failures, login_address_max_delay, "
            + "login_window, signing_key_rotation_days, signing_alg, access_token_typ, " + AuthorizationColumns.COLUMNS + ", "
            + RateLimitPolicy.COLUMNS;

    private final Core core;
    private final AdminChanges changes;

    TenantResource(Core core, AdminChanges changes) {
        this.core = core;
        this.changes = changes;
    }

    void mount(AdminRouter router) {
        router.get(PATH, this::list);
        router.post(PATH, this::create);
        router.get(PATH + "/{tenant}", this::read);
        router.put(PATH + "/{tenant}", request -> update(request, false));
        router.patch(PATH + "/{tenant}", request -> update(request, true));
    }

    /** A tenant's settings as the tenants file writes them; {@code signing_alg} is null while it follows the server's. */
    private static ObjectNode representation(ResultSet row) throws SQLException {
        ObjectNode json = AdminJson.object();
        json.put("id", row.getString(1));
        json.put("name", row.getString(2));
        json.put("enabled", row.getInt(3) == 1);
        json.put("access_token_ttl", row.getInt(4));
        json.put("refresh_token_idle_ttl", row.getInt(5));
        json.put("refresh_token_absolute_ttl", row.getInt(6));
        ObjectNode throttle = json.putObject("login_throttle");
        throttle.put("account_free_failures", row.getInt(7));
        throttle.put("account_max_delay_seconds", row.getInt(8));
        throttle.put("address_free_failures", row.getInt(9));
        throttle.put("address_max_delay_seconds", row.getInt(10));
        throttle.put("window_seconds", row.getInt(11));
        json.put("signing_key_rotation_days", row.getInt(12));
        json.put("signing_alg", row.getString(13));
        json.put("access_token_typ", row.getString(14));
        authorization(json, AuthorizationColumns.read(row, 15));
        RateLimitPolicy limits = RateLimitPolicy.read(row);
        ObjectNode rates = json.putObject("rate_limits");
        rates.put("token_requests_per_minute_per_client", limits.tokenPerClient());
        rates.put("token_requests_per_minute_per_address", limits.tokenPerAddress());
        rates.put("authorize_requests_per_minute_per_address", limits.authorizePerAddress());
        rates.put("login_requests_per_minute_per_address", limits.loginPerAddress());
        return json;
    }

    /** The initial access token is stored only as a hash and never shown; a body without it keeps the stored one. */
    private static void authorization(ObjectNode json, AuthorizationSettings settings) {
        settings.resources().forEach(json.putArray("resources")::add);
        ObjectNode documents = json.putObject("client_id_metadata_documents");
        documents.put("enabled", settings.clientIdMetadataDocuments().enabled());
        settings.clientIdMetadataDocuments().allowedHosts().forEach(documents.putArray("allowed_hosts")::add);
        ObjectNode registration = json.putObject("dynamic_registration");
        registration.put("enabled", settings.dynamicRegistration().enabled());
        settings.dynamicRegistration().scopes().forEach(registration.putArray("scopes")::add);
        json.put("require_par", settings.requirePar());
        json.putObject("dpop").put("nonce", settings.dpopNonce());
    }

    static ObjectNode find(Sql sql, String tenantId) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM tenants WHERE id = ?", TenantResource::representation, tenantId)
                .orElseThrow(() -> Problem.notFound("no tenant " + tenantId));
    }

    /**
     * Filters: {@code enabled}, {@code name} (a case-insensitive part of the name). Pages by id in SQL, so a page
     * of ten thousand tenants costs one indexed query; the database's own order of ids keeps the cursor consistent.
     */
    private void list(AdminRequest request) {
        request.caller().requireSystemWide("listing tenants");
        Optional<Boolean> enabled = request.booleanQuery("enabled");
        Optional<String> name = request.query("name").map(n -> n.toLowerCase(Locale.ROOT));
        Optional<String> after = Cursors.after(request);
        int limit = request.limit();
        StringBuilder where = new StringBuilder("1 = 1");
        List<Object> params = new ArrayList<>();
        after.ifPresent(id -> {
            where.append(" AND id > ?");
            params.add(id);
        });
        enabled.ifPresent(value -> {
            where.append(" AND enabled = ?");
            params.add(value);
        });
        name.ifPresent(part -> {
            // LOWER folds ASCII on SQLite and every letter on PostgreSQL: names differing beyond ASCII case may match on one only
            where.append(" AND LOWER(name) LIKE ? ESCAPE '\\'");
            params.add("%" + part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        });
        params.add(limit + 1);
        List<ObjectNode> rows = core.sql().query("SELECT " + COLUMNS + " FROM tenants WHERE " + where + " ORDER BY id LIMIT ?",
                TenantResource::representation, params.toArray());
        boolean more = rows.size() > limit;
        List<ObjectNode> items = more ? rows.subList(0, limit) : rows;
        request.page(items, more ? Optional.of(Cursors.encode(items.get(limit - 1).get("id").asText())) : Optional.empty());
    }

    /** Its own administrators may read a tenant; {@link AdminRequest#tenant()} refuses everyone else but system administrators. */
    private void read(AdminRequest request) {
        request.okWithEtag(find(core.sql(), request.tenant()));
    }

    private void create(AdminRequest request) {
        request.caller().requireSystemWide("creating a tenant");
        ObjectNode body = request.body();
        refuseHeldObjects(body);
        TenantSettings settings = RequestValidator.tenantSettings(body, Map.of());
        ObjectNode created = changes.apply(request.caller(), change -> {
            if (change.tx().queryOne("SELECT 1 FROM tenants WHERE id = ?", row -> true, settings.id()).isPresent()) {
                throw Problem.conflict("tenant " + settings.id() + " already exists").with("field", "id");
            }
            new SpecWriter(change.tx(), change.now()).tenantSettings(settings);
            ObjectNode after = find(change.tx(), settings.id());
            change.record(settings.id(), "tenant.created", AUDIT_RESOURCE, null, after);
            return after;
        });
        request.created(PATH + "/" + settings.id(), created);
    }

    /** PUT replaces the settings with the body (left-out ones take the file's defaults); PATCH merges. Both need If-Match. */
    private void update(AdminRequest request, boolean merge) {
        request.caller().requireSystemWide("changing a tenant");
        String tenantId = request.path("tenant");
        ObjectNode body = request.body();
        String ifMatch = request.ifMatch();
        refuseHeldObjects(body);
        ObjectNode updated = changes.apply(request.caller(), change -> {
            change.tx().update("UPDATE tenants SET updated_at = updated_at WHERE id = ?", tenantId);
            ObjectNode before = find(change.tx(), tenantId);
            AdminRequest.requireMatch(ifMatch, AdminJson.etag(before));
            ObjectNode candidate = merge ? AdminJson.mergePatch(before, body) : body.deepCopy();
            JsonNode id = candidate.get("id");
            if (id != null && !id.isNull() && !id.asText().equals(tenantId)) {
                throw Problem.invalidField("id", "a tenant's id cannot change (it is " + tenantId + ")");
            }
            candidate.put("id", tenantId);
            TenantSettings settings = RequestValidator.tenantSettings(candidate, scopeKinds(change.tx(), tenantId));
            if (AdminCaller.SYSTEM_TENANT.equals(tenantId) && !settings.enabled()) {
                throw Problem.conflict("tenant " + tenantId + " holds the system administrators; disabling it would shut every one "
                        + "of them out, this caller included").with("field", "enabled");
            }
            new SpecWriter(change.tx(), change.now()).tenantSettings(settings);
            ObjectNode after = find(change.tx(), tenantId);
            boolean wasEnabled = before.get("enabled").asBoolean();
            boolean isEnabled = after.get("enabled").asBoolean();
            change.record(tenantId, wasEnabled == isEnabled ? "tenant.updated" : isEnabled ? "tenant.enabled" : "tenant.disabled",
                    AUDIT_RESOURCE, before, after);
            return after;
        });
        request.okWithEtag(updated);
    }

    private static Map<String, ScopeKind> scopeKinds(Sql sql, String tenantId) {
        Map<String, ScopeKind> kinds = new java.util.HashMap<>();
        new TenantRepository(sql).find(tenantId).ifPresent(t -> t.scopes().values().forEach(s -> kinds.put(s.name(), s.kind())));
        return kinds;
    }

    private static void refuseHeldObjects(ObjectNode body) {
        for (String key : List.of("scopes", "clients", "identity_providers", "users", "customers", "anonymous_customers")) {
            if (body.has(key)) {
                throw Problem.invalidField(key, "'" + key + "' is not one of a tenant's settings: the admin API manages a tenant's "
                        + key.replace('_', ' ') + " " + HELD_ELSEWHERE.get(key));
            }
        }
    }
}
