package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.Core;
import dev.portcullis.token.KeyLifecycle;
import dev.portcullis.token.SigningAlgorithms;
import dev.portcullis.token.SigningKeyFactory;
import dev.portcullis.token.SigningKeyRepository;
import dev.portcullis.token.SigningKeyRepository.StoredKey;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code tenants/{tenant}/keys}: a tenant's signing keys as {@code portcullis keys list} shows them (never any key
 * material, public or private), and a rotation as {@code keys rotate} starts it: the new key is published first and
 * signs once every cached JWKS can hold it, the replaced key retires when the last token it signed has expired.
 */
final class KeyResource {

    private static final String PATH = "/tenants/{tenant}/keys";

    private final Core core;
    private final AdminChanges changes;
    private final SigningKeyFactory factory;

    KeyResource(Core core, AdminChanges changes) {
        this.core = core;
        this.changes = changes;
        this.factory = new SigningKeyFactory(core.masterKey(), JWSAlgorithm.parse(core.config().signingAlgorithm()));
    }

    void mount(AdminRouter router) {
        router.get(PATH, this::list);
        router.get(PATH + "/{kid}", this::read);
        router.post(PATH + "/rotate", this::rotate);
    }

    static ObjectNode representation(StoredKey key) {
        ObjectNode json = AdminJson.object();
        json.put("kid", key.kid());
        json.put("algorithm", key.algorithm());
        json.put("status", key.status());
        json.put("created_at", Instant.ofEpochSecond(key.createdAt()).toString());
        json.put("activates_at", instant(key.activatesAt()));
        json.put("retires_at", instant(key.retiresAt()));
        return json;
    }

    private static String instant(OptionalLong epochSecond) {
        return epochSecond.isPresent() ? Instant.ofEpochSecond(epochSecond.getAsLong()).toString() : null;
    }

    /** Newest first; a tenant has a handful of keys at most (active, waiting, retiring, ID-token ones), so one page. */
    private void list(AdminRequest request) {
        String tenantId = request.tenant();
        ClientResource.tenant(core.sql(), tenantId);
        request.page(new SigningKeyRepository(core.sql()).published(tenantId).stream().map(key -> (JsonNode) representation(key))
                .toList(), Optional.empty());
    }

    private void read(AdminRequest request) {
        String tenantId = request.tenant();
        String kid = request.path("kid");
        ClientResource.tenant(core.sql(), tenantId);
        request.ok(representation(new SigningKeyRepository(core.sql()).find(tenantId, kid)
                .orElseThrow(() -> Problem.notFound("tenant " + tenantId + " has no signing key " + kid))));
    }

    /**
     * Body (optional): {@code algorithm}, to change the tenant's signing algorithm by this rotation as
     * {@code keys rotate --algorithm} does. 201 with the new key; 200 with the waiting key when a rotation
     * to that algorithm is already under way.
     */
    private void rotate(AdminRequest request) {
        String tenantId = request.tenant();
        ObjectNode body = request.optionalBody();
        body.fieldNames().forEachRemaining(key -> {
            if (!key.equals("algorithm")) {
                throw Problem.invalidField(key, "unknown field '" + key + "'; a rotation takes only algorithm");
            }
        });
        Optional<JWSAlgorithm> algorithm = Optional.ofNullable(SecretResource.text(body, "algorithm")).map(name ->
                SigningAlgorithms.parse(name).orElseThrow(() -> Problem.invalidField("algorithm", "algorithm must be one of "
                        + SigningAlgorithms.names() + ", not '" + AdminRequest.shortened(name) + "'")));
        long prepublication = KeyLifecycle.prepublication(core.config().cacheRefreshSeconds());
        KeyLifecycle.Rotation rotation = changes.apply(request.caller(), change -> {
            ObjectNode tenantBefore = TenantResource.find(change.tx(), tenantId);
            // the lifecycle on the change's transaction: the key, the tenant's algorithm and the audit events commit together
            KeyLifecycle keys = new KeyLifecycle(change.tx(), factory, core.config().cacheRefreshSeconds());
            KeyLifecycle.Rotation started = algorithm.isEmpty() ? keys.rotate(tenantId, prepublication, change.now())
                    : keys.rotateTo(tenantId, algorithm.get(), prepublication, change.now());
            if (started.created()) {
                change.record(tenantId, "key.rotated", "keys/" + started.next().kid(), null, representation(started.next()));
            }
            change.record(tenantId, "tenant.updated", TenantResource.AUDIT_RESOURCE, tenantBefore,
                    TenantResource.find(change.tx(), tenantId));
            return started;
        });
        ObjectNode key = representation(rotation.next());
        if (rotation.created()) {
            request.created("/tenants/" + tenantId + "/keys/" + rotation.next().kid(), key);
        } else {
            request.ok(key);
        }
    }
}
