package dev.portcullis;

import dev.portcullis.admin.api.AdminApi;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.console.ConsoleRoutes;
import dev.portcullis.dpop.Dpop;
import dev.portcullis.egain.EgainEndpoints;
import dev.portcullis.exchange.TokenExchange;
import dev.portcullis.grant.CoreGrants;
import dev.portcullis.grant.GrantRegistry;
import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.observe.CapacityMetrics;
import dev.portcullis.observe.ManagementServer;
import dev.portcullis.oidc.OpenIdConnect;
import dev.portcullis.par.PushedAuthorizationRequests;
import dev.portcullis.registration.DynamicClientRegistration;
import dev.portcullis.ratelimit.RateLimitRoutes;
import dev.portcullis.signin.SignInRoutes;
import dev.portcullis.store.CacheRefresher;
import dev.portcullis.store.Database;
import dev.portcullis.store.Housekeeping;
import dev.portcullis.store.Sql;
import dev.portcullis.token.CryptoProviders;
import dev.portcullis.token.KeyRotationSchedule;
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
    private final List<Feature> features;

    private Portcullis(Database database, CacheRefresher refresher, Housekeeping housekeeping, HttpServer http,
                       ManagementServer management, List<Feature> features) {
        this.database = database;
        this.refresher = refresher;
        this.housekeeping = housekeeping;
        this.http = http;
        this.management = management;
        this.features = features;
    }

    /** Starts on an already-migrated database (the caller applied any tenants file first). */
    public static Portcullis start(ServerConfig config, Database database) {
        CryptoProviders.signingProvider();
        Core core = Core.build(config, database, Clock.systemUTC());
        PasswordHasher.limit(config.passwordHashing().queue(), config.passwordHashing().maxWaitMillis());
        CapacityMetrics.bind(core.metrics().registry(), database);
        List<Feature> features = List.of(new RateLimitRoutes(core), new CoreGrants(core), new Dpop(core), new SignInRoutes(core),
                new OpenIdConnect(core), new EgainEndpoints(core), new TokenExchange(core), new PushedAuthorizationRequests(core),
                new DynamicClientRegistration(core),
                new KeyRotationSchedule(core), new AdminApi(core), new ConsoleRoutes(core));
        GrantRegistry grants = new GrantRegistry(features.stream().flatMap(feature -> feature.grants().stream()).toList());
        HttpServer http = new HttpServer(core, grants, features);
        Sql sql = core.sql();
        features.forEach(feature -> core.configChanges().register(feature.cacheInvalidators()));
        CacheRefresher refresher = new CacheRefresher(database, core.configChanges(), config.cacheRefreshSeconds());
        Housekeeping housekeeping = new Housekeeping(sql, core.clock(), config.sessionIdleTimeout(), config.sessionAbsoluteTimeout(),
                config.housekeepingIntervalSeconds());
        ManagementServer management = new ManagementServer(database, core.metrics());
        try {
            http.start(config.bind(), config.port());
            management.start(config.managementBind(), config.managementPort());
        } catch (RuntimeException e) {
            http.close();
            management.close();
            features.forEach(Feature::close);
            refresher.close();
            housekeeping.close();
            throw e;
        }
        LOG.info("Portcullis listening on http://{}:{} (public URL {}, {} store, signing {} with {}, passwords with {})",
                config.bind(), http.port(), config.publicUrl(), database.isSqlite() ? "SQLite" : "PostgreSQL",
                config.signingAlgorithm(), CryptoProviders.signingProviderName(), PasswordHasher.implementation());
        LOG.info("Management (/metrics, /health/live, /health/ready) on http://{}:{}", config.managementBind(), management.port());
        if (config.metadataDocumentsFromLoopback()) {
            LOG.warn("client_id_metadata_documents_allow_loopback: client metadata documents may be fetched from loopback "
                    + "addresses (tests and development only)");
        }
        if (config.publicUrl().startsWith("http://") && !config.bindsToLoopback()) {
            LOG.warn("allow_insecure_http: serving plain http on {}; session cookies are not Secure", config.bind());
        }
        return new Portcullis(database, refresher, housekeeping, http, management, features);
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

    /** The running feature of this class, for tests that check what it set up (the admin API's routes). */
    public <T extends Feature> T feature(Class<T> type) {
        return features.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no feature " + type.getSimpleName()));
    }

    @Override
    public void close() {
        http.close();
        management.close();
        features.forEach(Feature::close);
        refresher.close();
        housekeeping.close();
        database.close();
    }
}
