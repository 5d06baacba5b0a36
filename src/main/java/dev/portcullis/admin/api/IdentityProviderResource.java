package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.Core;
import dev.portcullis.admin.RequestValidator;
import dev.portcullis.admin.SpecWriter;
import dev.portcullis.admin.TenantsFile.IdentityProviderSpec;
import dev.portcullis.exchange.IdentityProvider;
import dev.portcullis.exchange.IdentityProviderRepository;
import dev.portcullis.exchange.RegistrationRules;
import dev.portcullis.store.Sql;

import java.util.Comparator;
import java.util.List;

/**
 * {@code tenants/{tenant}/identity-providers}: the registrations Token Exchange accepts external tokens from, in
 * the tenants file's field names and checked by its validator. Only a system administrator may let a registration
 * fetch keys from private networks: for anyone else that would make the server a probe of its own network.
 */
final class IdentityProviderResource {

    private static final String PATH = "/tenants/{tenant}/identity-providers";

    private final Core core;
    private final AdminChanges changes;

    IdentityProviderResource(Core core, AdminChanges changes) {
        this.core = core;
        this.changes = changes;
    }

    void mount(AdminRouter router) {
        router.get(PATH, this::list);
        router.post(PATH, this::create);
        router.get(PATH + "/{registration_id}", this::read);
        router.put(PATH + "/{registration_id}", request -> update(request, false));
        router.patch(PATH + "/{registration_id}", request -> update(request, true));
        router.delete(PATH + "/{registration_id}", this::remove);
    }

    /** A registration as the tenants file writes it; a left-out jwks_uri (found in the issuer's metadata) is null. */
    static ObjectNode representation(IdentityProvider provider) {
        ObjectNode json = AdminJson.object();
        json.put("registration_id", provider.registrationId());
        json.put("name", provider.name());
        json.put("realm", provider.realm().suffix());
        json.put("issuer", provider.issuer());
        json.put("jwks_uri", provider.jwksUri().orElse(null));
        provider.audiences().forEach(json.putArray("audiences")::add);
        provider.algorithms().forEach(json.putArray("algorithms")::add);
        json.put("user_claim", provider.userClaim().claim());
        json.put("allow_private_network", provider.allowPrivateNetwork());
        return json;
    }

    private static IdentityProvider provider(Sql sql, String tenantId, String registrationId) {
        ClientResource.tenant(sql, tenantId);
        return new IdentityProviderRepository(sql).find(tenantId, registrationId)
                .orElseThrow(() -> Problem.notFound("tenant " + tenantId + " has no identity provider " + registrationId));
    }

    private void list(AdminRequest request) {
        String tenantId = request.tenant();
        ClientResource.tenant(core.sql(), tenantId);
        List<IdentityProvider> providers = new IdentityProviderRepository(core.sql()).list(tenantId).stream()
                .sorted(Comparator.comparing(IdentityProvider::registrationId))
                .toList();
        Cursors.page(request, providers, IdentityProvider::registrationId, IdentityProviderResource::representation);
    }

    private void read(AdminRequest request) {
        String tenantId = request.tenant();
        request.okWithEtag(representation(provider(core.sql(), tenantId, request.path("registration_id"))));
    }

    /** Without a registration_id the server generates one, which the answer and its Location carry. */
    private void create(AdminRequest request) {
        String tenantId = request.tenant();
        ObjectNode body = request.body();
        if (!body.hasNonNull("registration_id")) {
            body.put("registration_id", RegistrationRules.newRegistrationId());
        }
        IdentityProviderSpec spec = RequestValidator.identityProvider(body);
        refusePrivateNetwork(request.caller(), spec, false);
        String registrationId = spec.registrationId().orElseThrow();
        ObjectNode created = changes.apply(request.caller(), change -> {
            ClientResource.tenant(change.tx(), tenantId);
            if (new IdentityProviderRepository(change.tx()).find(tenantId, registrationId).isPresent()) {
                throw Problem.conflict("tenant " + tenantId + " already has an identity provider " + registrationId)
                        .with("field", "registration_id");
            }
            new SpecWriter(change.tx(), change.now()).identityProvider(tenantId, spec);
            ObjectNode after = representation(provider(change.tx(), tenantId, registrationId));
            change.record(tenantId, "identity_provider.created", "identity-providers/" + registrationId, null, after);
            return after;
        });
        request.created("/tenants/" + tenantId + "/identity-providers/" + registrationId, created);
    }

    /** PUT replaces the registration with the body; PATCH merges the body into it (RFC 7396). Both need If-Match. */
    private void update(AdminRequest request, boolean merge) {
        String tenantId = request.tenant();
        String registrationId = request.path("registration_id");
        ObjectNode body = request.body();
        String ifMatch = request.ifMatch();
        ObjectNode updated = changes.apply(request.caller(), change -> {
            change.tx().update("UPDATE identity_providers SET updated_at = updated_at WHERE tenant_id = ? AND registration_id = ?",
                    tenantId, registrationId);
            IdentityProvider stored = provider(change.tx(), tenantId, registrationId);
            ObjectNode before = representation(stored);
            AdminRequest.requireMatch(ifMatch, AdminJson.etag(before));
            ObjectNode candidate = merge ? AdminJson.mergePatch(before, body) : body.deepCopy();
            JsonNode id = candidate.get("registration_id");
            if (id != null && !id.isNull() && !id.asText().equals(registrationId)) {
                throw Problem.invalidField("registration_id", "registration_id cannot change (it is " + registrationId + ")");
            }
            candidate.put("registration_id", registrationId);
            IdentityProviderSpec spec = RequestValidator.identityProvider(candidate);
            refusePrivateNetwork(request.caller(), spec, stored.allowPrivateNetwork());
            new SpecWriter(change.tx(), change.now()).identityProvider(tenantId, spec);
            ObjectNode after = representation(provider(change.tx(), tenantId, registrationId));
            change.record(tenantId, "identity_provider.updated", "identity-providers/" + registrationId, before, after);
            return after;
        });
        request.okWithEtag(updated);
    }

    /** Its tokens stop being exchanged at once on this instance, and on the others at their next configuration check. */
    private void remove(AdminRequest request) {
        String tenantId = request.tenant();
        String registrationId = request.path("registration_id");
        changes.apply(request.caller(), change -> {
            ObjectNode before = representation(provider(change.tx(), tenantId, registrationId));
            new IdentityProviderRepository(change.tx()).remove(change.tx(), tenantId, registrationId);
            change.record(tenantId, "identity_provider.deleted", "identity-providers/" + registrationId, before, null);
            return null;
        });
        request.noContent();
    }

    /** Turning allow_private_network on is a system administrator's decision; keeping what is stored is anyone's. */
    private static void refusePrivateNetwork(AdminCaller caller, IdentityProviderSpec spec, boolean alreadyAllowed) {
        if (spec.allowPrivateNetwork() && !alreadyAllowed && !caller.systemWide()) {
            throw Problem.of(Problem.Type.FORBIDDEN, "allow_private_network lets the server fetch keys from private networks; "
                    + "only a system administrator may turn it on").with("field", "allow_private_network");
        }
    }
}
