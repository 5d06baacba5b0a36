package dev.portcullis.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.Core;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditEventRepository;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.client.StoredSecret;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.registration.ClientRegistration.Registration;
import dev.portcullis.signin.PushedRequests;
import dev.portcullis.store.ConfigRevision;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.token.RefreshTokens;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Registers, updates and deletes dynamically registered clients, each in one transaction with its audit event and
 * the configuration revision (so every instance drops its cached copy of the client), then drops this instance's
 * caches at once. Registration access tokens and client secrets are stored as hashes and shown once.
 */
final class Registrar {

    /** The most dynamically registered clients a tenant may hold: open registration must not grow without bound. */
    static final int MAX_CLIENTS_PER_TENANT = 1000;
    static final String ACTOR_TYPE = "dynamic_registration";

    /** A client and its registration, as the management endpoint found them for a valid registration access token. */
    record Registered(ClientApplication client, Registration registration) {
        ClientRegistration metadata() {
            return ClientRegistration.of(client, registration);
        }
    }

    /** A new registration, with the values shown this once: the registration access token and any client secret. */
    record Created(Registered registered, String registrationAccessToken, Optional<String> clientSecret) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Core core;
    private final ClientSecretHasher secretHasher;
    /** Compared against when no registration exists, so timing does not tell which client ids do. */
    private final byte[] noSuchRegistration = SecretHasher.hash("portcullis:no-such-registration");

    Registrar(Core core, ClientSecretHasher secretHasher) {
        this.core = core;
        this.secretHasher = secretHasher;
    }

    Created register(Tenant tenant, ClientRegistration metadata) {
        String clientId = UUID.randomUUID().toString();
        String token = SecretHasher.generate();
        Optional<String> secret = metadata.isConfidential() ? Optional.of(SecretHasher.generate()) : Optional.empty();
        long now = core.now();
        ObjectNode changes = changes(null, metadata);
        AuditEvent event = event(tenant.id(), clientId, "client.registered", changes, now);
        Registered registered = core.sql().inTransaction(tx -> {
            // the revision's row lock comes first: concurrent registrations of a tenant then count one after the other
            ConfigRevision.bump(tx);
            if (RegistrationStore.count(tx, tenant.id()) >= MAX_CLIENTS_PER_TENANT) {
                throw new OAuthException(OAuthError.ACCESS_DENIED, "tenant " + tenant.id() + " already holds "
                        + MAX_CLIENTS_PER_TENANT + " dynamically registered clients, the most it may; an administrator must "
                        + "delete some first");
            }
            ClientRepository clients = new ClientRepository(tx);
            clients.upsert(tx, tenant.id(), clientId, metadata.settings(Optional.empty()), now);
            secret.ifPresent(value -> clients.addSecret(tx, tenant.id(), clientId, StoredSecret.DEFAULT_NAMES.get(0),
                    secretHasher.hash(value), now, OptionalLong.empty()));
            Registration registration = new Registration(tenant.id(), clientId, SecretHasher.storedHash(token),
                    metadata.authMethod(), metadata.grantTypes(), metadata.responseTypes(), metadata.softwareId(),
                    metadata.softwareVersion(), now);
            RegistrationStore.insert(tx, registration, now);
            new AuditEventRepository(tx).insert(tx, event);
            return new Registered(clients.find(tenant.id(), clientId).orElseThrow(), registration);
        });
        committed(event, changes);
        return new Created(registered, token, secret);
    }

    /**
     * The client {@code token} is the registration access token of, or a 401 (RFC 7592 section 2): for an unknown
     * or deleted client, another client's token, or none, alike.
     */
    Registered authorize(Tenant tenant, String clientId, Optional<String> token, String realmName) {
        if (token.isEmpty()) {
            throw OAuthException.bearer(OAuthError.INVALID_TOKEN, "send the registration access token the registration "
                    + "returned, as Authorization: Bearer", realmName, false, Optional.empty());
        }
        Optional<Registration> registration = RegistrationStore.find(core.sql(), tenant.id(), clientId);
        byte[] expected = registration.map(r -> SecretHasher.decode(r.tokenHash())).orElse(noSuchRegistration);
        boolean matches = MessageDigest.isEqual(SecretHasher.hash(token.get()), expected);
        Optional<ClientApplication> client = registration.isPresent() && matches
                ? new ClientRepository(core.sql()).find(tenant.id(), clientId) : Optional.empty();
        return client.map(c -> new Registered(c, registration.get())).orElseThrow(() -> OAuthException.bearer(
                OAuthError.INVALID_TOKEN, "the registration access token is not valid for this client", realmName, true,
                Optional.empty()));
    }

    /** Replaces the client's metadata (RFC 7592 section 2.2); what only an administrator sets is kept. */
    Registered update(Tenant tenant, Registered current, ClientRegistration metadata) {
        String clientId = current.client().clientId();
        if (metadata.isConfidential() != current.client().platform().isConfidential()) {
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, "token_endpoint_auth_method cannot change between "
                    + "none and a client secret method: a client is public or confidential for good; register a new one");
        }
        long now = core.now();
        ObjectNode changes = changes(current.metadata(), metadata);
        AuditEvent event = event(tenant.id(), clientId, "client.registration_updated", changes, now);
        Registered updated = core.sql().inTransaction(tx -> {
            ConfigRevision.bump(tx);
            ClientRepository clients = new ClientRepository(tx);
            // read again in the transaction: an administrator may have just disabled it
            Optional<ClientApplication> stored = clients.find(tenant.id(), clientId);
            if (stored.isEmpty()) {
                throw OAuthException.invalidRequest("the client was deleted meanwhile");
            }
            clients.upsert(tx, tenant.id(), clientId, metadata.settings(stored), now);
            RegistrationStore.update(tx, tenant.id(), clientId, metadata, now);
            new AuditEventRepository(tx).insert(tx, event);
            return new Registered(clients.find(tenant.id(), clientId).orElseThrow(),
                    RegistrationStore.find(tx, tenant.id(), clientId).orElseThrow());
        });
        committed(event, changes);
        return updated;
    }

    /**
     * Deletes the client (RFC 7592 section 2.3): its registration, secrets and pushed requests go, and its refresh tokens
     * are revoked. Access tokens already issued live out their (short) lifetime.
     */
    void delete(Tenant tenant, Registered current) {
        String tenantId = tenant.id();
        String clientId = current.client().clientId();
        long now = core.now();
        ObjectNode changes = changes(current.metadata(), null);
        AuditEvent event = event(tenantId, clientId, "client.deregistered", changes, now);
        core.sql().inTransaction(tx -> {
            ConfigRevision.bump(tx);
            RegistrationStore.delete(tx, tenantId, clientId);
            PushedRequests.deleteFor(tx, tenantId, clientId);
            RefreshTokens.revokeAllOfClient(tx, tenantId, clientId, now);
            tx.update("DELETE FROM consents WHERE tenant_id = ? AND client_id = ?", tenantId, clientId);
            tx.update("DELETE FROM authorization_codes WHERE tenant_id = ? AND client_id = ? AND consumed_at IS NULL",
                    tenantId, clientId);
            new ClientRepository(tx).delete(tx, tenantId, clientId);
            new AuditEventRepository(tx).insert(tx, event);
            return null;
        });
        committed(event, changes);
    }

    /** Whether {@code secret} is one of the client's current secrets (an update may repeat it, RFC 7592 section 2.2). */
    boolean isCurrentSecret(ClientApplication client, String secret) {
        boolean matched = false;
        for (StoredSecret stored : client.secrets()) {
            matched |= secretHasher.matches(secret, stored);
        }
        return matched;
    }

    private void committed(AuditEvent event, ObjectNode changes) {
        core.configChanges().changed();
        List<String> fields = new ArrayList<>();
        changes.fieldNames().forEachRemaining(fields::add);
        core.audit().adminChange(event, fields);
    }

    /** The registering client acts for itself: no user, the client as actor. */
    private AuditEvent event(String tenantId, String clientId, String action, ObjectNode changes, long now) {
        return new AuditEvent(AuditEventRepository.newId(core.clock().millis()), tenantId, now,
                new AuditEvent.Actor(tenantId, "", clientId, ACTOR_TYPE), action, "clients/" + clientId, changes.toString());
    }

    /** The changed metadata, each {@code {"from": ..., "to": ...}} as the admin API records changes. */
    private static ObjectNode changes(ClientRegistration before, ClientRegistration after) {
        ObjectNode from = before == null ? JSON.createObjectNode() : fields(before);
        ObjectNode to = after == null ? JSON.createObjectNode() : fields(after);
        ObjectNode changes = JSON.createObjectNode();
        List<String> names = new ArrayList<>();
        from.fieldNames().forEachRemaining(names::add);
        to.fieldNames().forEachRemaining(name -> {
            if (!names.contains(name)) {
                names.add(name);
            }
        });
        for (String name : names) {
            JsonNode a = from.get(name);
            JsonNode b = to.get(name);
            if (a == null || b == null || !a.equals(b)) {
                ObjectNode change = changes.putObject(name);
                change.set("from", a);
                change.set("to", b);
            }
        }
        return changes;
    }

    private static ObjectNode fields(ClientRegistration metadata) {
        ObjectNode json = JSON.createObjectNode();
        json.put("client_name", metadata.name());
        json.put("platform", metadata.platform().label());
        json.put("token_endpoint_auth_method", metadata.authMethod());
        metadata.redirectUris().forEach(json.putArray("redirect_uris")::add);
        metadata.postLogoutRedirectUris().forEach(json.putArray("post_logout_redirect_uris")::add);
        metadata.grantTypes().forEach(json.putArray("grant_types")::add);
        json.put("scope", String.join(" ", metadata.scopes()));
        json.put("software_id", metadata.softwareId().orElse(null));
        json.put("software_version", metadata.softwareVersion().orElse(null));
        json.put("id_token_signed_response_alg", metadata.idTokenSigningAlg().orElse(null));
        json.put("require_pushed_authorization_requests", metadata.requirePar());
        return json;
    }
}
