package dev.portcullis.client;

import dev.portcullis.store.Sql;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/** Client applications, their scopes, redirect URIs and secret hashes. */
public final class ClientRepository {

    private final Sql sql;

    public ClientRepository(Sql sql) {
        this.sql = sql;
    }

    private record ClientRow(String name, Optional<String> description, Platform platform, OptionalInt accessTokenTtl,
                             boolean requirePkce, ConsentMode consent, boolean enabled, boolean tokenExchange,
                             Optional<String> idTokenSigningAlg, boolean requirePar, Optional<Set<String>> registeredGrantTypes) {
    }

    /** A registration's grant types, stored space-separated. */
    private static Set<String> grantTypes(String stored) {
        return Set.copyOf(Arrays.asList(stored.trim().split(" +")));
    }

    /** A client's settings as the tenants file, the CLI, the admin API or dynamic registration write them. */
    public record Settings(String name, Optional<String> description, Platform platform, Set<String> scopes,
                           List<String> redirectUris, OptionalInt accessTokenTtl, boolean requirePkce, ConsentMode consent,
                           boolean enabled, List<String> postLogoutRedirectUris, Optional<String> idTokenSigningAlg,
                           boolean requirePar) {
    }

    public Optional<ClientApplication> find(String tenantId, String clientId) {
        return sql.queryOne(
                "SELECT name, platform, access_token_ttl, require_pkce, consent, enabled, description, token_exchange, "
                        + "id_token_signed_response_alg, require_par, "
                        + "(SELECT r.grant_types FROM client_registrations r WHERE r.tenant_id = clients.tenant_id "
                        + "AND r.client_id = clients.client_id) FROM clients "
                        + "WHERE tenant_id = ? AND client_id = ?",
                row -> {
                    int ttl = row.getInt(3);
                    OptionalInt accessTokenTtl = row.wasNull() ? OptionalInt.empty() : OptionalInt.of(ttl);
                    return new ClientRow(row.getString(1), Optional.ofNullable(row.getString(7)),
                            Platform.fromLabel(row.getString(2)).orElseThrow(), accessTokenTtl, row.getInt(4) == 1,
                            ConsentMode.fromLabel(row.getString(5)).orElseThrow(), row.getInt(6) == 1, row.getInt(8) == 1,
                            Optional.ofNullable(row.getString(9)), row.getInt(10) == 1,
                            Optional.ofNullable(row.getString(11)).map(ClientRepository::grantTypes));
                }, tenantId, clientId)
                .map(r -> new ClientApplication(tenantId, clientId, r.name(), r.description(), r.platform(),
                        Set.copyOf(scopes(tenantId, clientId)), redirectUris(tenantId, clientId),
                        secrets(tenantId, clientId), r.accessTokenTtl(), r.requirePkce(), r.consent(), r.enabled(),
                        r.tokenExchange(), postLogoutRedirectUris(tenantId, clientId), r.idTokenSigningAlg(), r.requirePar(),
                        r.registeredGrantTypes().orElse(Set.of())));
    }

    /** The tenant's clients; one deleted between reading the ids and reading it (RFC 7592 lets clients go at any time) is left out. */
    public List<ClientApplication> list(String tenantId) {
        return sql.query("SELECT client_id FROM clients WHERE tenant_id = ? ORDER BY name, client_id",
                row -> row.getString(1), tenantId).stream().flatMap(id -> find(tenantId, id).stream()).toList();
    }

    private Set<String> scopes(String tenantId, String clientId) {
        return new LinkedHashSet<>(sql.query(
                "SELECT scope_name FROM client_scopes WHERE tenant_id = ? AND client_id = ? ORDER BY scope_name",
                row -> row.getString(1), tenantId, clientId));
    }

    private List<String> redirectUris(String tenantId, String clientId) {
        return sql.query(
                "SELECT redirect_uri FROM client_redirect_uris WHERE tenant_id = ? AND client_id = ? ORDER BY redirect_uri",
                row -> row.getString(1), tenantId, clientId);
    }

    private List<String> postLogoutRedirectUris(String tenantId, String clientId) {
        return sql.query("SELECT redirect_uri FROM client_post_logout_redirect_uris WHERE tenant_id = ? AND client_id = ? "
                + "ORDER BY redirect_uri", row -> row.getString(1), tenantId, clientId);
    }

    private List<StoredSecret> secrets(String tenantId, String clientId) {
        return sql.query(
                "SELECT id, secret_hash, created_at, expires_at, hash_scheme, name FROM client_secrets "
                        + "WHERE tenant_id = ? AND client_id = ? ORDER BY created_at, name",
                row -> {
                    long expires = row.getLong(4);
                    OptionalLong expiresAt = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(expires);
                    return new StoredSecret(row.getString(1), row.getString(6), SecretHasher.decode(row.getString(2)),
                            row.getLong(3), expiresAt, ClientSecretHasher.LEGACY_SCHEME.equals(row.getString(5)));
                }, tenantId, clientId);
    }

    /** Writes a client's settings, scopes and redirect URIs; returns true if anything changed. */
    public boolean upsert(Sql tx, String tenantId, String clientId, Settings settings, long now) {
        Optional<ClientApplication> existing = new ClientRepository(tx).find(tenantId, clientId);
        OptionalInt accessTokenTtl = settings.accessTokenTtl();
        Integer ttl = accessTokenTtl.isPresent() ? accessTokenTtl.getAsInt() : null;
        String description = settings.description().orElse(null);
        String idTokenAlg = settings.idTokenSigningAlg().orElse(null);
        boolean changed;
        if (existing.isEmpty()) {
            tx.update("INSERT INTO clients (tenant_id, client_id, name, description, platform, access_token_ttl, require_pkce, "
                            + "consent, enabled, id_token_signed_response_alg, require_par, created_at, updated_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    tenantId, clientId, settings.name(), description, settings.platform().label(), ttl, settings.requirePkce(),
                    settings.consent().label(), settings.enabled(), idTokenAlg, settings.requirePar(), now, now);
            changed = true;
        } else {
            ClientApplication c = existing.get();
            changed = !c.name().equals(settings.name()) || !c.description().equals(settings.description())
                    || c.platform() != settings.platform() || !c.accessTokenTtl().equals(accessTokenTtl)
                    || c.requirePkce() != settings.requirePkce() || c.consent() != settings.consent()
                    || c.enabled() != settings.enabled() || !c.idTokenSigningAlg().equals(settings.idTokenSigningAlg())
                    || c.requirePar() != settings.requirePar();
            if (changed) {
                tx.update("UPDATE clients SET name = ?, description = ?, platform = ?, access_token_ttl = ?, require_pkce = ?, "
                                + "consent = ?, enabled = ?, id_token_signed_response_alg = ?, require_par = ?, updated_at = ? "
                                + "WHERE tenant_id = ? AND client_id = ?",
                        settings.name(), description, settings.platform().label(), ttl, settings.requirePkce(),
                        settings.consent().label(), settings.enabled(), idTokenAlg, settings.requirePar(), now, tenantId, clientId);
            }
        }
        Set<String> scopes = settings.scopes();
        if (existing.isEmpty() || !existing.get().scopes().equals(Set.copyOf(scopes))) {
            tx.update("DELETE FROM client_scopes WHERE tenant_id = ? AND client_id = ?", tenantId, clientId);
            for (String scope : scopes) {
                tx.update("INSERT INTO client_scopes (tenant_id, client_id, scope_name) VALUES (?, ?, ?)", tenantId, clientId, scope);
            }
            changed = true;
        }
        List<String> redirectUris = settings.redirectUris();
        if (existing.isEmpty() || !Set.copyOf(existing.get().redirectUris()).equals(Set.copyOf(redirectUris))) {
            tx.update("DELETE FROM client_redirect_uris WHERE tenant_id = ? AND client_id = ?", tenantId, clientId);
            for (String uri : new LinkedHashSet<>(redirectUris)) {
                tx.update("INSERT INTO client_redirect_uris (tenant_id, client_id, redirect_uri) VALUES (?, ?, ?)", tenantId, clientId, uri);
            }
            changed = true;
        }
        List<String> postLogout = settings.postLogoutRedirectUris();
        if (existing.isEmpty() || !Set.copyOf(existing.get().postLogoutRedirectUris()).equals(Set.copyOf(postLogout))) {
            tx.update("DELETE FROM client_post_logout_redirect_uris WHERE tenant_id = ? AND client_id = ?", tenantId, clientId);
            for (String uri : new LinkedHashSet<>(postLogout)) {
                tx.update("INSERT INTO client_post_logout_redirect_uris (tenant_id, client_id, redirect_uri) VALUES (?, ?, ?)",
                        tenantId, clientId, uri);
            }
            changed = true;
        }
        return changed;
    }

    /** Stores a secret by its {@link ClientSecretHasher} hash; its name must be free among the client's secrets. */
    public StoredSecret addSecret(Sql tx, String tenantId, String clientId, String name, byte[] hash, long now,
                                  OptionalLong expiresAt) {
        String id = UUID.randomUUID().toString();
        tx.update("INSERT INTO client_secrets (id, tenant_id, client_id, name, secret_hash, created_at, expires_at, hash_scheme) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                id, tenantId, clientId, name, SecretHasher.encode(hash), now,
                expiresAt.isPresent() ? expiresAt.getAsLong() : null, ClientSecretHasher.SCHEME);
        return new StoredSecret(id, name, hash, now, expiresAt, false);
    }

    /** Renames a secret or changes its expiry, keeping its id, value and creation time. */
    public void updateSecret(Sql tx, String secretId, String name, OptionalLong expiresAt) {
        tx.update("UPDATE client_secrets SET name = ?, expires_at = ? WHERE id = ?",
                name, expiresAt.isPresent() ? expiresAt.getAsLong() : null, secretId);
    }

    public void removeSecret(Sql tx, String secretId) {
        tx.update("DELETE FROM client_secrets WHERE id = ?", secretId);
    }

    /** Allows or forbids the Token Exchange grant for a client; returns true if that changed anything. */
    public boolean setTokenExchange(Sql tx, String tenantId, String clientId, boolean tokenExchange, long now) {
        return tx.update("UPDATE clients SET token_exchange = ?, updated_at = ? WHERE tenant_id = ? AND client_id = ? "
                + "AND token_exchange <> ?", tokenExchange, now, tenantId, clientId, tokenExchange) > 0;
    }

    public boolean setEnabled(Sql tx, String tenantId, String clientId, boolean enabled, long now) {
        return tx.update("UPDATE clients SET enabled = ?, updated_at = ? WHERE tenant_id = ? AND client_id = ? AND enabled <> ?",
                enabled, now, tenantId, clientId, enabled) > 0;
    }

    /**
     * Deletes a client with its scopes, redirect URIs and secrets. Only dynamically registered clients are deleted
     * (RFC 7592 section 2.3); clients an administrator registered are disabled instead, so their history keeps its name.
     */
    public boolean delete(Sql tx, String tenantId, String clientId) {
        for (String table : List.of("client_scopes", "client_redirect_uris", "client_post_logout_redirect_uris", "client_secrets")) {
            tx.update("DELETE FROM " + table + " WHERE tenant_id = ? AND client_id = ?", tenantId, clientId);
        }
        return tx.update("DELETE FROM clients WHERE tenant_id = ? AND client_id = ?", tenantId, clientId) > 0;
    }
}
