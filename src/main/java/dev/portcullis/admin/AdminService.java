package dev.portcullis.admin;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.client.ConsentMode;
import dev.portcullis.client.Platform;
import dev.portcullis.client.RedirectUris;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.client.StoredSecret;
import dev.portcullis.console.ConsoleClient;
import dev.portcullis.identity.AdminRole;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantRepository;
import dev.portcullis.token.SigningAlgorithms;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The operations behind the CLI's create, list and disable commands. Each change runs in one
 * transaction that also bumps the configuration revision, so running servers pick it up.
 */
public final class AdminService {

    public record CreatedClient(String clientId, Optional<String> secret) {
    }

    private final Sql sql;
    private final ClientSecretHasher secretHasher;
    private final Clock clock;

    public AdminService(Sql sql, ClientSecretHasher secretHasher, Clock clock) {
        this.sql = sql;
        this.secretHasher = secretHasher;
        this.clock = clock;
    }

    /** The user and customer operations, on the same database and clock. */
    public SubjectAdminService subjectAdmin() {
        return new SubjectAdminService(sql, clock);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** Any tenant but {@code system}, which only bootstrap-admin and tenants files create, as the one for administrators. */
    public void createTenant(String id, String name, int accessTokenTtl) {
        if (AdminRole.SYSTEM_TENANT.equals(id)) {
            throw new IllegalArgumentException("tenant id " + id + " is reserved for system administration: create it with "
                    + "portcullis bootstrap-admin or a tenants file");
        }
        sql.inTransaction(tx -> {
            if (new TenantRepository(tx).find(id).isPresent()) {
                throw new IllegalArgumentException("tenant " + id + " already exists");
            }
            new TenantRepository(tx).upsert(tx, id, name, accessTokenTtl, Tenant.RefreshPolicy.DEFAULT, true, now());
            changed(tx, id, "tenant.created", "tenant");
            return null;
        });
    }

    public List<Tenant> tenants() {
        return new TenantRepository(sql).list();
    }

    public void setTenantEnabled(String id, boolean enabled) {
        sql.inTransaction(tx -> {
            requireTenant(tx, id);
            new TenantRepository(tx).setEnabled(tx, id, enabled, now());
            changed(tx, id, enabled ? "tenant.enabled" : "tenant.disabled", "tenant");
            return null;
        });
    }

    public void createScope(String tenantId, ScopeDefinition scope) {
        if (BuiltInScopes.isBuiltIn(scope.name())) {
            throw new IllegalArgumentException(BuiltInScopes.definitionRefusal(scope.name()));
        }
        sql.inTransaction(tx -> {
            Tenant tenant = requireTenant(tx, tenantId);
            if (tenant.scope(scope.name()).isPresent()) {
                throw new IllegalArgumentException("scope " + scope.name() + " already exists in tenant " + tenantId);
            }
            new TenantRepository(tx).upsertScope(tx, tenantId, scope);
            changed(tx, tenantId, "scope.created", "scopes/" + scope.name());
            return null;
        });
    }

    public CreatedClient createClient(String tenantId, Optional<String> clientId, String name, Optional<String> description,
                                      Platform platform, List<String> scopes, List<String> redirectUris, OptionalInt accessTokenTtl,
                                      boolean tokenExchange, List<String> postLogoutRedirectUris,
                                      Optional<String> idTokenSigningAlg) {
        idTokenSigningAlg.ifPresent(alg -> SigningAlgorithms.require(alg, "--id-token-signing-alg"));
        clientId.flatMap(ConsoleClient::reservation).ifPresent(reserved -> {
            throw new IllegalArgumentException(reserved);
        });
        if (tokenExchange && !platform.isConfidential()) {
            throw new IllegalArgumentException("--token-exchange needs a web (confidential) client");
        }
        Optional<String> trimmed = description.map(String::strip).filter(d -> !d.isEmpty());
        if (trimmed.isPresent() && trimmed.get().length() > ClientApplication.MAX_DESCRIPTION_LENGTH) {
            throw new IllegalArgumentException("a client's description may have at most " + ClientApplication.MAX_DESCRIPTION_LENGTH
                    + " characters");
        }
        return sql.inTransaction(tx -> {
            Tenant tenant = requireTenant(tx, tenantId);
            for (String uri : java.util.stream.Stream.concat(redirectUris.stream(), postLogoutRedirectUris.stream()).toList()) {
                RedirectUris.problem(uri, platform).ifPresent(problem -> {
                    throw new IllegalArgumentException(problem);
                });
            }
            for (String scope : scopes) {
                if (tenant.scope(scope).isEmpty()) {
                    throw new IllegalArgumentException("tenant " + tenantId + " does not define scope " + scope);
                }
            }
            String id = clientId.orElseGet(() -> UUID.randomUUID().toString());
            ClientRepository clients = new ClientRepository(tx);
            if (clients.find(tenantId, id).isPresent()) {
                throw new IllegalArgumentException("client " + id + " already exists in tenant " + tenantId);
            }
            clients.upsert(tx, tenantId, id, new ClientRepository.Settings(name, trimmed, platform, new LinkedHashSet<>(scopes),
                    redirectUris, accessTokenTtl, false, ConsentMode.REQUIRED, true, postLogoutRedirectUris,
                    idTokenSigningAlg, false), now());
            clients.setTokenExchange(tx, tenantId, id, tokenExchange, now());
            Optional<String> secret = Optional.empty();
            if (platform.isConfidential()) {
                String generated = SecretHasher.generate();
                clients.addSecret(tx, tenantId, id, StoredSecret.DEFAULT_NAMES.get(0), secretHasher.hash(generated), now(),
                        OptionalLong.empty());
                secret = Optional.of(generated);
            }
            changed(tx, tenantId, "client.created", "clients/" + id);
            return new CreatedClient(id, secret);
        });
    }

    public List<ClientApplication> clients(String tenantId) {
        requireTenant(sql, tenantId);
        return new ClientRepository(sql).list(tenantId);
    }

    public void setClientEnabled(String tenantId, String clientId, boolean enabled) {
        sql.inTransaction(tx -> {
            requireClient(tx, tenantId, clientId);
            new ClientRepository(tx).setEnabled(tx, tenantId, clientId, enabled, now());
            changed(tx, tenantId, enabled ? "client.enabled" : "client.disabled", "clients/" + clientId);
            return null;
        });
    }

    public record AddedSecret(String name, String value) {
    }

    /**
     * Adds a generated secret (at most two per client) and returns it; only its hash is kept.
     * Without a name it takes the first of primary and secondary that the client does not use.
     */
    public AddedSecret addSecret(String tenantId, String clientId, Optional<String> name, OptionalLong expiresAt) {
        name.ifPresent(n -> {
            if (n.isBlank() || n.length() > StoredSecret.MAX_NAME_LENGTH || n.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("--name must have 1 to " + StoredSecret.MAX_NAME_LENGTH
                        + " characters and no control characters");
            }
        });
        return sql.inTransaction(tx -> {
            ClientApplication client = requireClient(tx, tenantId, clientId);
            if (!client.platform().isConfidential()) {
                throw new IllegalArgumentException("client " + clientId + " is a " + client.platform().description()
                        + " client and cannot have secrets");
            }
            if (client.secrets().size() >= ClientSection.MAX_SECRETS) {
                throw new IllegalArgumentException("client " + clientId + " already has " + ClientSection.MAX_SECRETS
                        + " secrets; remove one first (portcullis client secret-remove)");
            }
            List<String> taken = client.secrets().stream().map(StoredSecret::name).toList();
            String chosen = name.map(String::strip).orElseGet(() -> StoredSecret.DEFAULT_NAMES.stream()
                    .filter(n -> !taken.contains(n)).findFirst().orElseThrow());
            if (taken.contains(chosen)) {
                throw new IllegalArgumentException("client " + clientId + " already has a secret named " + chosen);
            }
            String generated = SecretHasher.generate();
            new ClientRepository(tx).addSecret(tx, tenantId, clientId, chosen, secretHasher.hash(generated), now(), expiresAt);
            changed(tx, tenantId, "client.secret.created", "clients/" + clientId + "/secrets/" + chosen);
            return new AddedSecret(chosen, generated);
        });
    }

    /** A client's secrets, oldest first: names, ids and dates only. */
    public List<StoredSecret> secrets(String tenantId, String clientId) {
        return requireClient(sql, tenantId, clientId).secrets();
    }

    /** Removes a secret named by its name or its id; returns its name. */
    public String removeSecret(String tenantId, String clientId, String nameOrId) {
        return sql.inTransaction(tx -> {
            ClientApplication client = requireClient(tx, tenantId, clientId);
            StoredSecret secret = client.secrets().stream().filter(s -> s.name().equals(nameOrId)).findFirst()
                    .or(() -> client.secrets().stream().filter(s -> s.id().equals(nameOrId)).findFirst())
                    .orElseThrow(() -> new IllegalArgumentException("client " + clientId + " has no secret named " + nameOrId
                            + " or with that id (see portcullis client secret-list)"));
            new ClientRepository(tx).removeSecret(tx, secret.id());
            changed(tx, tenantId, "client.secret.deleted", "clients/" + clientId + "/secrets/" + secret.id());
            return secret.name();
        });
    }

    /** The client, for read-only commands such as {@code client metadata}. */
    public ClientApplication client(String tenantId, String clientId) {
        return requireClient(sql, tenantId, clientId);
    }

    public Tenant tenant(String tenantId) {
        return requireTenant(sql, tenantId);
    }

    /**
     * Bumps the configuration revision and records the change as an audit event, in the change's transaction: the
     * actor is the operating-system user running the command, as {@code portcullis apply} records it.
     */
    private void changed(Sql tx, String tenantId, String action, String resource) {
        CliChanges.record(tx, clock, tenantId, action, resource);
    }

    static Tenant requireTenant(Sql sql, String tenantId) {
        return new TenantRepository(sql).find(tenantId)
                .orElseThrow(() -> new IllegalArgumentException("no tenant " + tenantId));
    }

    private static ClientApplication requireClient(Sql sql, String tenantId, String clientId) {
        requireTenant(sql, tenantId);
        return new ClientRepository(sql).find(tenantId, clientId)
                .orElseThrow(() -> new IllegalArgumentException("no client " + clientId + " in tenant " + tenantId));
    }
}
