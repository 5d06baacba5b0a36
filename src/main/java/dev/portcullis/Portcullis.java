package dev.portcullis;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.client.ClientAuthenticator;
import dev.portcullis.client.ClientDirectory;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.grant.AuthorizationCodeGrantHandler;
import dev.portcullis.grant.ClientCredentialsGrantHandler;
import dev.portcullis.grant.RefreshTokenGrantHandler;
import dev.portcullis.signin.BrowserSessions;
import dev.portcullis.signin.Consents;
import dev.portcullis.signin.LoginThrottle;
import dev.portcullis.signin.SignInRoutes;
import dev.portcullis.store.Housekeeping;
import dev.portcullis.token.AuthorizationCodes;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.grant.GrantHandler;
import dev.portcullis.grant.GrantRegistry;
import dev.portcullis.grant.OnBehalfOfGrantHandler;
import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.identity.SubjectRepository;
import dev.portcullis.observe.AuditLog;
import dev.portcullis.observe.ManagementServer;
import dev.portcullis.observe.TokenMetrics;
import dev.portcullis.store.CacheRefresher;
import dev.portcullis.store.Database;
import dev.portcullis.store.LookupCache;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.TenantDirectory;
import dev.portcullis.tenant.TenantRepository;
import dev.portcullis.token.AccessTokenIssuer;
import dev.portcullis.token.AccessTokenVerifier;
import dev.portcullis.token.CryptoProviders;
import dev.portcullis.token.MasterKey;
import dev.portcullis.token.SigningKeyRepository;
import dev.portcullis.token.SigningKeys;
import dev.portcullis.web.ClientAddress;
import dev.portcullis.web.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/** The running server: wires the database, caches, grants and HTTP surface, and closes them in order. */
public final class Portcullis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Portcullis.class);

    private final Database database;
    private final CacheRefresher refresher;
    private final Housekeeping housekeeping;
    private final HttpServer http;
    private final ManagementServer management;

    private Portcullis(Database database, CacheRefresher refresher, Housekeeping housekeeping, HttpServer http,
                       ManagementServer management) {
        this.database = database;
        this.refresher = refresher;
        this.housekeeping = housekeeping;
        this.http = http;
        this.management = management;
    }

    /** Starts on an already-migrated database (the caller applied any tenants file first). */
    public static Portcullis start(ServerConfig config, Database database) {
        Clock clock = Clock.systemUTC();
        Sql sql = database.sql();
        MasterKey masterKey = MasterKey.of(config);
        CryptoProviders.signingProvider();

        TokenMetrics metrics = new TokenMetrics();
        LookupCache lookups = new LookupCache(config.cacheMaxBytes()).bindTo(metrics.registry());
        TenantDirectory tenants = new TenantDirectory(new TenantRepository(sql), lookups);
        ClientRepository clientRepository = new ClientRepository(sql);
        ClientDirectory clients = new ClientDirectory(clientRepository, lookups);
        SubjectDirectory subjects = new SubjectDirectory(new SubjectRepository(sql), lookups);
        SigningKeys keys = new SigningKeys(new SigningKeyRepository(sql), masterKey,
                JWSAlgorithm.parse(config.signingAlgorithm()), clock);
        AuthorizationCodes codes = new AuthorizationCodes(sql);
        RefreshTokens refreshTokens = new RefreshTokens(sql);
        BrowserSessions sessions = new BrowserSessions(sql, config.sessionIdleTimeout(), config.sessionAbsoluteTimeout());

        AccessTokenVerifier accessTokens = new AccessTokenVerifier(keys, sql, config.publicUrl());
        List<GrantHandler<?>> handlers = List.of(
                new OnBehalfOfGrantHandler(subjects),
                new ClientCredentialsGrantHandler(),
                new AuthorizationCodeGrantHandler(codes, refreshTokens, subjects, accessTokens, sql, clock),
                new RefreshTokenGrantHandler(refreshTokens, subjects, sql, clock));
        SignInRoutes signIn = new SignInRoutes(tenants, clients, subjects, sessions, new Consents(sql), codes,
                new LoginThrottle(sql, masterKey.derive("login-log-account")), new ClientAddress(config.trustedProxies()),
                masterKey, clock, config.publicUrl());
        HttpServer http = new HttpServer(new HttpServer.Dependencies(
                tenants, clientRepository, new GrantRegistry(handlers), new ClientAuthenticator(clients, ClientSecretHasher.open(masterKey, sql), clock),
                new AccessTokenIssuer(keys, config.publicUrl(), config.apiUrl(), clock), keys,
                metrics, lookups, new AuditLog(), signIn, accessTokens, refreshTokens,
                clock, config.publicUrl(), config.httpThreads()));
        CacheRefresher refresher = new CacheRefresher(sql,
                List.of(lookups::invalidateAll, keys::invalidateAll),
                config.cacheRefreshSeconds());
        Housekeeping housekeeping = new Housekeeping(sql, clock, config.sessionIdleTimeout(), config.sessionAbsoluteTimeout());
        ManagementServer management = new ManagementServer(database, metrics);
        try {
            http.start(config.bind(), config.port());
            management.start(config.managementBind(), config.managementPort());
        } catch (RuntimeException e) {
            http.close();
            management.close();
            refresher.close();
            housekeeping.close();
            throw e;
        }
        LOG.info("Portcullis listening on http://{}:{} (public URL {}, {} store, signing {} with {}, passwords with {})",
                config.bind(), http.port(), config.publicUrl(), database.isSqlite() ? "SQLite" : "PostgreSQL",
                config.signingAlgorithm(), CryptoProviders.signingProviderName(), PasswordHasher.implementation());
        LOG.info("Management (/metrics, /health/live, /health/ready) on http://{}:{}", config.managementBind(), management.port());
        if (config.publicUrl().startsWith("http://") && !config.bindsToLoopback()) {
            LOG.warn("allow_insecure_http: serving plain http on {}; session cookies are not Secure", config.bind());
        }
        return new Portcullis(database, refresher, housekeeping, http, management);
    }

    public int port() {
        return http.port();
    }

    public int managementPort() {
        return management.port();
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        http.close();
        management.close();
        refresher.close();
        housekeeping.close();
        database.close();
    }
}
