package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.Core;
import dev.portcullis.admin.RequestValidator;
import dev.portcullis.admin.SpecWriter;
import dev.portcullis.admin.TenantsFile.ScopeSpec;
import dev.portcullis.egain.AnonymousCustomerPolicies;
import dev.portcullis.egain.AnonymousCustomerPolicy;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.TenantRepository;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code tenants/{tenant}/scopes}: the scopes a tenant defines, in the tenants file's field names and checked by
 * its validator. A scope is deleted only while no client or anonymous-customer policy holds it, so no client is left
 * naming a scope that does not exist. The built-in admin scopes can be read, never changed or deleted.
 */
final class ScopeResource {

    private static final String PATH = "/tenants/{tenant}/scopes";
    /** The tenants file's scope names but for '/', which no path segment can carry (the server refuses an encoded one). */
    private static final Pattern NAME_IN_PATH = Pattern.compile("[\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]{1,200}");
    /** The admin API's own scopes, which every tenant has and which only the server defines. */
    static final Set<String> BUILT_IN = Set.of(dev.portcullis.tenant.BuiltInScopes.ADMIN, dev.portcullis.tenant.BuiltInScopes.ADMIN_API);
    /** How many holders a refusal names before it only counts the rest. */
    private static final int NAMED_HOLDERS = 20;

    private final Core core;
    private final AdminChanges changes;

    ScopeResource(Core core, AdminChanges changes) {
        this.core = core;
        this.changes = changes;
    }

    void mount(AdminRouter router) {
        router.get(PATH, this::list);
        router.post(PATH, this::create);
        router.get(PATH + "/{scope}", this::read);
        router.put(PATH + "/{scope}", request -> update(request, false));
        router.patch(PATH + "/{scope}", request -> update(request, true));
        router.delete(PATH + "/{scope}", this::remove);
    }

    /** A scope as the tenants file writes it, and whether it is built in (read-only: the server decides that). */
    static ObjectNode representation(ScopeDefinition scope) {
        ObjectNode json = AdminJson.object();
        json.put("name", scope.name());
        json.put("kind", scope.kind().label());
        json.put("description", scope.description());
        json.put("built_in", BUILT_IN.contains(scope.name()));
        return json;
    }

    private static ScopeDefinition scope(Sql sql, String tenantId, String name) {
        return ClientResource.tenant(sql, tenantId).scope(name)
                .orElseThrow(() -> Problem.notFound("tenant " + tenantId + " has no scope " + name));
    }

    /** Filter: {@code kind} (application, delegated or on-behalf-of). */
    private void list(AdminRequest request) {
        String tenantId = request.tenant();
        Optional<ScopeKind> kind = request.query("kind").map(label -> ScopeKind.fromLabel(label).orElseThrow(() ->
                Problem.invalidField("kind", "kind must be application, delegated or on-behalf-of")));
        List<ScopeDefinition> scopes = ClientResource.tenant(core.sql(), tenantId).scopes().values().stream()
                .filter(scope -> kind.isEmpty() || scope.kind() == kind.get())
                .sorted(Comparator.comparing(ScopeDefinition::name))
                .toList();
        Cursors.page(request, scopes, ScopeDefinition::name, ScopeResource::representation);
    }

    private void read(AdminRequest request) {
        String tenantId = request.tenant();
        request.okWithEtag(representation(scope(core.sql(), tenantId, request.path("scope", NAME_IN_PATH))));
    }

    private void create(AdminRequest request) {
        String tenantId = request.tenant();
        ObjectNode body = request.body();
        if (body.has("built_in")) {
            throw Problem.invalidField("built_in", "built_in is read-only: only the server's own admin scopes are built in");
        }
        // a built-in name is not malformed but taken (every tenant has the scope): answered so whatever the validator says
        if (body.path("name").isTextual()) {
            refuseBuiltIn(body.path("name").asText().trim(), "defined");
        }
        ScopeSpec spec = RequestValidator.scope(body);
        ObjectNode created = changes.apply(request.caller(), change -> {
            if (ClientResource.tenant(change.tx(), tenantId).scope(spec.name()).isPresent()) {
                throw Problem.conflict("tenant " + tenantId + " already has a scope " + spec.name()).with("field", "name");
            }
            new SpecWriter(change.tx(), change.now()).scope(tenantId, spec);
            ObjectNode after = representation(scope(change.tx(), tenantId, spec.name()));
            change.record(tenantId, "scope.created", "scopes/" + spec.name(), null, after);
            return after;
        });
        request.created("/tenants/" + tenantId + "/scopes/" + URLEncoder.encode(spec.name(), StandardCharsets.UTF_8), created);
    }

    /** PUT replaces kind and description; PATCH merges (RFC 7396). {@code built_in} is read-only and ignored. */
    private void update(AdminRequest request, boolean merge) {
        String tenantId = request.tenant();
        String name = request.path("scope", NAME_IN_PATH);
        ObjectNode body = request.body();
        String ifMatch = request.ifMatch();
        ObjectNode updated = changes.apply(request.caller(), change -> {
            lock(change.tx(), tenantId, name);
            ObjectNode before = representation(scope(change.tx(), tenantId, name));
            refuseBuiltIn(name, "changed");
            AdminRequest.requireMatch(ifMatch, AdminJson.etag(before));
            ObjectNode candidate = merge ? AdminJson.mergePatch(before, body) : body.deepCopy();
            candidate.remove("built_in");
            JsonNode given = candidate.get("name");
            if (given != null && !given.isNull() && !given.asText().equals(name)) {
                throw Problem.invalidField("name", "a scope's name cannot change (it is " + name + "); define a new scope instead");
            }
            candidate.put("name", name);
            ScopeSpec spec = RequestValidator.scope(candidate);
            if (!spec.kind().equals(ScopeKind.DELEGATED.label()) && anonymousCustomersHold(change.tx(), tenantId, name)) {
                throw Problem.conflict("anonymous_customers of tenant " + tenantId + " names scope " + name
                        + ", and anonymous customers may only get delegated scopes").with("field", "kind");
            }
            new SpecWriter(change.tx(), change.now()).scope(tenantId, spec);
            ObjectNode after = representation(scope(change.tx(), tenantId, name));
            change.record(tenantId, "scope.updated", "scopes/" + name, before, after);
            return after;
        });
        request.okWithEtag(updated);
    }

    private void remove(AdminRequest request) {
        String tenantId = request.tenant();
        String name = request.path("scope", NAME_IN_PATH);
        changes.apply(request.caller(), change -> {
            lock(change.tx(), tenantId, name);
            ObjectNode before = representation(scope(change.tx(), tenantId, name));
            refuseBuiltIn(name, "deleted");
            List<String> holders = change.tx().query("SELECT client_id FROM client_scopes WHERE tenant_id = ? AND scope_name = ? "
                    + "ORDER BY client_id", row -> row.getString(1), tenantId, name);
            if (!holders.isEmpty()) {
                String named = String.join(", ", holders.subList(0, Math.min(holders.size(), NAMED_HOLDERS)))
                        + (holders.size() > NAMED_HOLDERS ? " and " + (holders.size() - NAMED_HOLDERS) + " more" : "");
                throw Problem.conflict("scope " + name + " is held by client" + (holders.size() == 1 ? " " : "s ") + named
                        + "; take it from " + (holders.size() == 1 ? "that client" : "them") + " first")
                        .with("clients", holders.subList(0, Math.min(holders.size(), NAMED_HOLDERS)));
            }
            if (anonymousCustomersHold(change.tx(), tenantId, name)) {
                throw Problem.conflict("scope " + name + " is held by tenant " + tenantId + "'s anonymous_customers; take it from "
                        + "there first (in the tenants file)");
            }
            new TenantRepository(change.tx()).removeScope(change.tx(), tenantId, name);
            change.record(tenantId, "scope.deleted", "scopes/" + name, before, null);
            return null;
        });
        request.noContent();
    }

    private static void refuseBuiltIn(String name, String what) {
        if (BUILT_IN.contains(name)) {
            throw Problem.conflict(name + " is built in: every tenant has it as the server defines it, so it cannot be " + what
                    + " (clients may name it without defining it)");
        }
    }

    private static boolean anonymousCustomersHold(Sql tx, String tenantId, String name) {
        return AnonymousCustomerPolicies.load(tx, tenantId).map(AnonymousCustomerPolicy::scopes).orElse(List.of()).contains(name);
    }

    /** Takes the scope's row lock first, so two updates with the same If-Match cannot both pass the check. */
    private static void lock(Sql tx, String tenantId, String name) {
        tx.update("UPDATE scopes SET kind = kind WHERE tenant_id = ? AND name = ?", tenantId, name);
    }
}
