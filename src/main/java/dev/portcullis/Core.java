package dev.portcullis;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.cimd.MetadataDocumentClients;
import dev.portcullis.client.ClientAuthenticator;
import dev.portcullis.client.ClientDirectory;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.console.ConsoleClient;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.identity.SubjectRepository;
import dev.portcullis.observe.AuditLog;
import dev.portcullis.observe.TokenMetrics;
import dev.portcullis.ratelimit.RequestRateLimits;
import dev.portcullis.store.ConfigChanges;
import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Database;
import dev.portcullis.store.LookupCache;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.TenantDirectory;
import dev.portcullis.tenant.TenantRepository;
import dev.portcullis.token.AccessTokenIssuer;
import dev.portcullis.token.AccessTokenVerifier;
import dev.portcullis.token.AuthorizationCodes;
import dev.portcullis.token.KeyLifecycle;
import dev.portcullis.token.MasterKey;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.token.SigningKeys;
import dev.portcullis.token.SigningKeyFactory;
import dev.portcullis.token.SigningKeyRepository;
import dev.portcullis.web.ClientAddress;

import java.time.Clock;
import java.util.List;

/**
 * The services every capability shares: configuration, the store, the cached directories, keys,
 * the token issuer and verifier, metrics and audit. Each {@link Feature} builds its own parts from
 * these, so adding a capability adds a Feature, not a field here or a parameter to the HTTP server.
 * A capability that changes the configuration itself (the admin API) calls
 * {@link ConfigChanges#changed()} after committing, so this instance drops its caches at once.
 */
public record Core(
        ServerConfig config,
        Clock clock,
        Database database,
        Sql sql,
        MasterKey masterKey,
        TokenMetrics metrics,
        LookupCache lookups,
        TenantDirectory tenants,
        ClientRepository clientRepository,
        ClientDirectory clients,
        ClientAuthenticator clientAuthenticator,
        SubjectDirectory subjects,
        SigningKeys keys,
        KeyLifecycle keyLifecycle,
        AccessTokenIssuer issuer,
        AccessTokenVerifier accessTokens,
        AuthorizationCodes codes,
        RefreshTokens refreshTokens,
        ClientAddress clientAddress,
        AuditLog audit,
        ConfigChanges configChanges,
        RequestRateLimits rateLimits) {

    static Core build(ServerConfig config, Database database, Clock clock) {
        Sql sql = database.sql();
        MasterKey masterKey = MasterKey.of(config);
        TokenMetrics metrics = new TokenMetrics();
        // Read before any cache fills, so a change committed while the server wires itself still drops them.
        ConfigChanges configChanges = new ConfigChanges(ConfigRevision.current(sql)).bindTo(metrics.registry());
        LookupCache lookups = new LookupCache(config.cacheMaxBytes()).bindTo(metrics.registry());
        ClientRepository clientRepository = new ClientRepository(sql);
        TenantDirectory tenants = new TenantDirectory(new TenantRepository(sql), lookups);
        ClientDirectory clients = new ClientDirectory(clientRepository, lookups, new ConsoleClient(config.publicUrl()),
                new MetadataDocumentClients(tenants, config.metadataDocumentsFromLoopback(), clock));
        SigningKeyFactory keyFactory = new SigningKeyFactory(masterKey, JWSAlgorithm.parse(config.signingAlgorithm()));
        KeyLifecycle keyLifecycle = new KeyLifecycle(sql, keyFactory, config.cacheRefreshSeconds());
        SigningKeys keys = new SigningKeys(new SigningKeyRepository(sql), keyFactory, keyLifecycle, clock);
        configChanges.register(List.of(lookups::invalidateAll, keys::invalidateAll));
        return new Core(config, clock, database, sql, masterKey, metrics, lookups,
                tenants, clientRepository, clients,
                new ClientAuthenticator(clients, ClientSecretHasher.open(masterKey, sql), clock),
                new SubjectDirectory(new SubjectRepository(sql), lookups), keys, keyLifecycle,
                new AccessTokenIssuer(keys, config.publicUrl(), config.apiUrl(), clock),
                new AccessTokenVerifier(keys, sql, config.publicUrl()), new AuthorizationCodes(sql), new RefreshTokens(sql),
                new ClientAddress(config.trustedProxies()), new AuditLog(), configChanges, new RequestRateLimits());
    }

    public String publicUrl() {
        return config.publicUrl();
    }

    public long now() {
        return clock.instant().getEpochSecond();
    }
}
