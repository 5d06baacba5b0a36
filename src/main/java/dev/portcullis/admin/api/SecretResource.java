package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.Core;
import dev.portcullis.admin.SecretExpiry;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.client.StoredSecret;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code clients/{client_id}/secrets}: at most two per web client, each with a name and an optional expiry.
 * The server generates every value and shows it once, in the answer that created it; only its hash is kept.
 */
final class SecretResource {

    private static final String PATH = "/tenants/{tenant}/clients/{client_id}/secrets";
    static final int MAX_SECRETS = 2;
    private static final Set<String> KEYS = Set.of("name", "expires_at");

    private final Core core;
    private final AdminChanges changes;
    private final ClientSecretHasher secretHasher;

    SecretResource(Core core, AdminChanges changes, ClientSecretHasher secretHasher) {
        this.core = core;
        this.changes = changes;
        this.secretHasher = secretHasher;
    }

    void mount(AdminRouter router) {
        router.get(PATH, this::list);
        router.post(PATH, this::create);
        router.get(PATH + "/{secret_id}", this::read);
        router.delete(PATH + "/{secret_id}", this::remove);
    }

    static ObjectNode representation(StoredSecret secret, long now) {
        ObjectNode json = AdminJson.object();
        json.put("id", secret.id());
        json.put("name", secret.name());
        json.put("created_at", Instant.ofEpochSecond(secret.createdAt()).toString());
        json.put("expires_at", secret.expiresAt().isPresent() ? Instant.ofEpochSecond(secret.expiresAt().getAsLong()).toString() : null);
        json.put("expired", secret.isExpiredAt(now));
        return json;
    }

    private void list(AdminRequest request) {
        String tenantId = request.tenant();
        ClientApplication client = ClientResource.client(core.sql(), tenantId, request.path("client_id"));
        long now = core.now();
        request.page(client.secrets().stream().map(secret -> (JsonNode) representation(secret, now)).toList(),
                java.util.Optional.empty());
    }

    private void read(AdminRequest request) {
        String tenantId = request.tenant();
        ClientApplication client = ClientResource.client(core.sql(), tenantId, request.path("client_id"));
        request.ok(representation(secret(client, request.path("secret_id")), core.now()));
    }

    private static StoredSecret secret(ClientApplication client, String secretId) {
        return client.secrets().stream().filter(s -> s.id().equals(secretId)).findFirst()
                .orElseThrow(() -> Problem.notFound("client " + client.clientId() + " has no secret " + secretId));
    }

    /** Body: {@code name} (optional: primary, then secondary) and {@code expires_at} (optional: a date or an instant). */
    private void create(AdminRequest request) {
        String tenantId = request.tenant();
        String clientId = request.path("client_id");
        ObjectNode body = request.body();
        body.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw Problem.invalidField(key, "unknown field '" + key + "'; a new secret takes name and expires_at (the server "
                        + "generates its value)");
            }
        });
        String name = text(body, "name");
        if (name != null && (name.isBlank() || name.length() > StoredSecret.MAX_NAME_LENGTH
                || name.chars().anyMatch(Character::isISOControl))) {
            throw Problem.invalidField("name", "name must have 1 to " + StoredSecret.MAX_NAME_LENGTH
                    + " characters and no control characters");
        }
        OptionalLong expiresAt = expiry(text(body, "expires_at"));
        String value = SecretHasher.generate();
        ObjectNode created = changes.apply(request.caller(), change -> {
            ClientResource.lock(change.tx(), tenantId, clientId);
            ClientApplication client = ClientResource.client(change.tx(), tenantId, clientId);
            if (!client.platform().isConfidential()) {
                throw Problem.conflict("client " + clientId + " is a " + client.platform().description()
                        + " client; only web clients have secrets");
            }
            if (client.secrets().size() >= MAX_SECRETS) {
                throw Problem.conflict("client " + clientId + " already has " + MAX_SECRETS + " secrets, the most it may have; "
                        + "delete one first");
            }
            List<String> taken = client.secrets().stream().map(StoredSecret::name).toList();
            String chosen = name != null ? name.strip() : StoredSecret.DEFAULT_NAMES.stream().filter(n -> !taken.contains(n))
                    .findFirst().orElseThrow();
            if (taken.contains(chosen)) {
                throw Problem.conflict("client " + clientId + " already has a secret named " + chosen).with("field", "name");
            }
            if (expiresAt.isPresent() && expiresAt.getAsLong() <= change.now()) {
                throw Problem.invalidField("expires_at", "expires_at must be in the future");
            }
            StoredSecret secret = new ClientRepository(change.tx()).addSecret(change.tx(), tenantId, clientId, chosen,
                    secretHasher.hash(value), change.now(), expiresAt);
            ObjectNode json = representation(secret, change.now());
            change.record(tenantId, "client.secret.created", "clients/" + clientId + "/secrets/" + secret.id(), null, json);
            return json;
        });
        ObjectNode answer = created.deepCopy();
        answer.put("value", value);
        request.created("/tenants/" + tenantId + "/clients/" + clientId + "/secrets/" + created.get("id").asText(), answer);
    }

    private void remove(AdminRequest request) {
        String tenantId = request.tenant();
        String clientId = request.path("client_id");
        String secretId = request.path("secret_id");
        changes.apply(request.caller(), change -> {
            ClientResource.lock(change.tx(), tenantId, clientId);
            StoredSecret secret = secret(ClientResource.client(change.tx(), tenantId, clientId), secretId);
            new ClientRepository(change.tx()).removeSecret(change.tx(), secret.id());
            change.record(tenantId, "client.secret.deleted", "clients/" + clientId + "/secrets/" + secretId,
                    representation(secret, change.now()), null);
            return null;
        });
        request.noContent();
    }

    private static OptionalLong expiry(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        OptionalLong parsed = SecretExpiry.parse(text);
        if (parsed.isEmpty()) {
            throw Problem.invalidField("expires_at", "expires_at must be " + SecretExpiry.FORMS);
        }
        return parsed;
    }

    static String text(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw Problem.invalidField(field, field + " must be a string");
        }
        return node.asText();
    }
}
