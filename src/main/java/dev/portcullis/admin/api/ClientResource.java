package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.Core;
import dev.portcullis.admin.RequestValidator;
import dev.portcullis.admin.SpecWriter;
import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientMetadata;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantRepository;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code tenants/{tenant}/clients}: a tenant's client applications, in the tenants file's field names and
 * checked by its validator. A client is disabled, not deleted, so tokens and audit events keep naming it.
 */
final class ClientResource {

    private static final String PATH = "/tenants/{tenant}/clients";
    /** Read-only: the client registered itself (RFC 7591); a body may repeat the current value, never change it. */
    static final String DYNAMICALLY_REGISTERED = "dynamically_registered";

    private final Core core;
    private final AdminChanges changes;
    private final ClientSecretHasher secretHasher;

    ClientResource(Core core, AdminChanges changes, ClientSecretHasher secretHasher) {
        this.core = core;
        this.changes = changes;
        this.secretHasher = secretHasher;
    }

    void mount(AdminRouter router) {
        router.get(PATH, this::list);
        router.post(PATH, this::create);
        router.get(PATH + "/{client_id}", this::read);
        router.put(PATH + "/{client_id}", request -> update(request, false));
        router.patch(PATH + "/{client_id}", request -> update(request, true));
        router.get(PATH + "/{client_id}/metadata", this::metadata);
    }

    /** A client as the tenants file writes it; absent optional fields are null, so a merge patch can set them. */
    static ObjectNode representation(ClientApplication client) {
        ObjectNode json = AdminJson.object();
        json.put("client_id", client.clientId());
        json.put("name", client.name());
        json.put("description", client.description().orElse(null));
        json.put("platform", client.platform().label());
        client.scopes().stream().sorted().forEach(json.putArray("scopes")::add);
        client.redirectUris().forEach(json.putArray("redirect_uris")::add);
        client.postLogoutRedirectUris().forEach(json.putArray("post_logout_redirect_uris")::add);
        json.put("token_exchange", client.tokenExchange());
        if (client.accessTokenTtl().isPresent()) {
            json.put("access_token_ttl", client.accessTokenTtl().getAsInt());
        } else {
            json.putNull("access_token_ttl");
        }
        json.put("require_pkce", client.requirePkce());
        json.put("consent", client.consent().label());
        json.put("id_token_signed_response_alg", client.idTokenSigningAlg().orElse(null));
        json.put("require_par", client.requirePar());
        json.put("enabled", client.enabled());
        json.put(DYNAMICALLY_REGISTERED, client.dynamicallyRegistered());
        return json;
    }

    static Tenant tenant(Sql sql, String tenantId) {
        return new TenantRepository(sql).find(tenantId).orElseThrow(() -> Problem.notFound("no tenant " + tenantId));
    }

    static ClientApplication client(Sql sql, String tenantId, String clientId) {
        tenant(sql, tenantId);
        return new ClientRepository(sql).find(tenantId, clientId)
                .orElseThrow(() -> Problem.notFound("no client " + clientId + " in tenant " + tenantId));
    }

    /** Filters: {@code platform}, {@code enabled}, {@code name} (a case-insensitive part of the name). */
    private void list(AdminRequest request) {
        String tenantId = request.tenant();
        tenant(core.sql(), tenantId);
        Optional<String> platform = request.query("platform");
        Optional<Boolean> enabled = request.booleanQuery("enabled");
        Optional<String> name = request.query("name").map(n -> n.toLowerCase(java.util.Locale.ROOT));
        List<ClientApplication> clients = new ClientRepository(core.sql()).list(tenantId).stream()
                .filter(c -> platform.isEmpty() || c.platform().label().equals(platform.get()))
                .filter(c -> enabled.isEmpty() || c.enabled() == enabled.get())
                .filter(c -> name.isEmpty() || c.name().toLowerCase(java.util.Locale.ROOT).contains(name.get()))
                .sorted(Comparator.comparing(ClientApplication::clientId))
                .toList();
        Cursors.page(request, clients, ClientApplication::clientId, ClientResource::representation);
    }

    private void read(AdminRequest request) {
        String tenantId = request.tenant();
        request.okWithEtag(representation(client(core.sql(), tenantId, request.path("client_id"))));
    }

    private void create(AdminRequest request) {
        String tenantId = request.tenant();
        ObjectNode body = request.body();
        refuseSecrets(body);
        readOnly(body, false);
        if (!body.hasNonNull("client_id")) {
            body.put("client_id", UUID.randomUUID().toString());
        }
        ObjectNode created = changes.apply(request.caller(), change -> {
            Tenant tenant = tenant(change.tx(), tenantId);
            ClientSpec spec = RequestValidator.client(body, tenant);
            if (new ClientRepository(change.tx()).find(tenantId, spec.clientId()).isPresent()) {
                throw Problem.conflict("tenant " + tenantId + " already has a client " + spec.clientId()).with("field", "client_id");
            }
            new SpecWriter(change.tx(), change.now()).client(secretHasher, tenantId, spec);
            ObjectNode after = representation(client(change.tx(), tenantId, spec.clientId()));
            change.record(tenantId, "client.created", "clients/" + spec.clientId(), null, after);
            return after;
        });
        request.created("/tenants/" + tenantId + "/clients/" + created.get("client_id").asText(), created);
    }

    /** PUT replaces the client with the body; PATCH merges the body into it (RFC 7396). Both need If-Match. */
    private void update(AdminRequest request, boolean merge) {
        String tenantId = request.tenant();
        String clientId = request.path("client_id");
        ObjectNode body = request.body();
        String ifMatch = request.ifMatch();
        refuseSecrets(body);
        ObjectNode updated = changes.apply(request.caller(), change -> {
            Tenant tenant = tenant(change.tx(), tenantId);
            lock(change.tx(), tenantId, clientId);
            ObjectNode before = representation(client(change.tx(), tenantId, clientId));
            AdminRequest.requireMatch(ifMatch, AdminJson.etag(before));
            ObjectNode candidate = merge ? AdminJson.mergePatch(before, body) : body.deepCopy();
            readOnly(candidate, before.get(DYNAMICALLY_REGISTERED).asBoolean());
            JsonNode id = candidate.get("client_id");
            if (id != null && !id.isNull() && !id.asText().equals(clientId)) {
                throw Problem.invalidField("client_id", "client_id cannot change (it is " + clientId + ")");
            }
            candidate.put("client_id", clientId);
            ClientSpec spec = RequestValidator.client(candidate, tenant);
            new SpecWriter(change.tx(), change.now()).client(secretHasher, tenantId, spec);
            ObjectNode after = representation(client(change.tx(), tenantId, clientId));
            change.record(tenantId, after.get("enabled").asBoolean() == before.get("enabled").asBoolean() ? "client.updated"
                    : after.get("enabled").asBoolean() ? "client.enabled" : "client.disabled", "clients/" + clientId, before, after);
            return after;
        });
        request.okWithEtag(updated);
    }

    private void metadata(AdminRequest request) {
        String tenantId = request.tenant();
        ClientApplication client = client(core.sql(), tenantId, request.path("client_id"));
        Tenant tenant = tenant(core.sql(), tenantId);
        ObjectNode json = AdminJson.object();
        ClientMetadata.of(client, tenant, core.publicUrl(), core.config().apiUrl()).toJson().forEach(json::put);
        request.ok(json);
    }

    /**
     * Takes the client's row lock before reading it, so two updates with the same If-Match cannot both pass the
     * check (PostgreSQL holds the row until commit; SQLite has one writer at a time anyway).
     */
    static void lock(Sql tx, String tenantId, String clientId) {
        tx.update("UPDATE clients SET updated_at = updated_at WHERE tenant_id = ? AND client_id = ?", tenantId, clientId);
    }

    /** Takes the read-only member out of a body, refusing a value other than the client's own. */
    private static void readOnly(ObjectNode body, boolean current) {
        JsonNode value = body.remove(DYNAMICALLY_REGISTERED);
        if (value != null && !value.isNull() && !(value.isBoolean() && value.asBoolean() == current)) {
            throw Problem.invalidField(DYNAMICALLY_REGISTERED, "dynamically_registered is read-only: a client is dynamically "
                    + "registered only by registering itself at its realm's registration endpoint (RFC 7591)");
        }
    }

    private static void refuseSecrets(ObjectNode body) {
        if (body.has("secrets")) {
            throw Problem.invalidField("secrets", "a client's secrets are managed at its secrets resource, which shows a new "
                    + "secret's value once");
        }
    }
}
