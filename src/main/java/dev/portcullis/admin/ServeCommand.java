package dev.portcullis.admin;

import dev.portcullis.Portcullis;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.token.MasterKey;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.store.Database;
import dev.portcullis.tenant.TenantRepository;
import dev.portcullis.token.MasterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code portcullis serve}: applies the tenants file (or, on an empty database, the demo tenant when
 * that is safe or asked for), creates the first system administrator when the environment asks for one
 * ({@link BootstrapAdmin#fromEnvironment}), and serves.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the HTTP server.")
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOption config;

    @Option(names = "--demo", description = "On an empty database, create the demo tenant (published credentials) "
            + "whatever the store and bind address. Without it, only the embedded SQLite store on a loopback bind gets it.")
    boolean demo;

    @Override
    public Integer call() throws InterruptedException {
        long started = System.nanoTime();
        ServerConfig settings = config.load();
        // A missing or exposed key is refused before the database is created or changed.
        MasterKey masterKey = MasterKey.of(settings);
        Database database = Database.open(settings.jdbcUrl(), settings.databasePoolSize(), settings.databaseLimits());
        Optional<DemoTenant.Created> demoTenant = Optional.empty();
        try {
            TenantsFileApplier applier = new TenantsFileApplier(database.sql(),
                    ClientSecretHasher.open(masterKey, database.sql()), Clock.systemUTC());
            if (settings.tenantsFile().isPresent()) {
                StartupTenantsFile.apply(settings.tenantsFile().get(), database.sql(), applier, Clock.systemUTC()).applied()
                        .ifPresent(result -> {
                            LOG.info("Applied {}: {} tenant(s), {} change(s)", settings.tenantsFile().get(), result.tenants(),
                                    result.changes());
                            result.generatedRegistrations().forEach(line -> LOG.info("Registered identity provider {}", line));
                        });
                if (demo) {
                    LOG.warn("--demo ignored: the tenants file {} decides the tenants", settings.tenantsFile().get());
                }
            } else if (new TenantRepository(database.sql()).list().isEmpty()) {
                demoTenant = createDemoTenantIfSafe(settings, applier, database);
            } else if (demo) {
                LOG.warn("--demo ignored: the database already has tenants; the demo tenant is only created on an empty one");
            }
            // after the tenants: tenant system would otherwise make an empty database look used, and keep the demo tenant out
            new BootstrapAdmin(database.sql(), Clock.systemUTC()).fromEnvironment(System.getenv());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        Portcullis server;
        try {
            server = Portcullis.start(settings, database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "portcullis-shutdown"));
        LOG.info("Ready in {} ms", (System.nanoTime() - started) / 1_000_000);
        demoTenant.ifPresent(created -> announce(created, settings.publicUrl()));
        stopped.await();
        return 0;
    }

    /**
     * Its credentials are published in the README, so it is only created where nobody else can reach
     * it (the embedded store on a loopback bind), or when the operator asks for it with --demo.
     */
    private Optional<DemoTenant.Created> createDemoTenantIfSafe(ServerConfig settings, TenantsFileApplier applier, Database database) {
        if (!demo && !(settings.isSqlite() && settings.bindsToLoopback())) {
            String why = settings.isSqlite() ? "bind " + settings.bind() + " is not a loopback address" : "the store is PostgreSQL";
            LOG.warn("Empty database and no tenants file: not creating the demo tenant, whose credentials are published, "
                    + "because {}. Give a tenants file (tenants: FILE, or portcullis apply FILE), create tenants with the CLI, "
                    + "or start with --demo to create it anyway", why);
            return Optional.empty();
        }
        DemoTenant.Created created = DemoTenant.create(applier, database.sql(), Clock.systemUTC());
        LOG.warn("Created the demo tenant {} from examples/demo-tenants.yaml (published credentials: local use only)",
                created.tenantId());
        return Optional.of(created);
    }

    /** On standard output, not in the log: the seed's request, and the console's administrator with the one-time password. */
    private static void announce(DemoTenant.Created demo, String publicUrl) {
        DemoTenant.oboCurl(demo.file(), publicUrl).ifPresent(curl -> {
            System.out.println();
            System.out.println("Demo tenant ready. Get an On-Behalf-Of token for user 'pa':");
            System.out.println();
            System.out.println(curl);
        });
        System.out.println();
        System.out.println("Web console: " + DemoTenant.consoleUrl(publicUrl, demo.tenantId()));
        System.out.println("  Sign in as " + DemoTenant.ADMIN_USERNAME + " with password " + demo.administratorPassword());
        System.out.println("  (this password is printed only now; Portcullis keeps only its hash)");
        System.out.println();
        System.out.flush();
    }
}
