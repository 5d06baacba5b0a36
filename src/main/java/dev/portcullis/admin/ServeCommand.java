package dev.portcullis.admin;

import dev.portcullis.Portcullis;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.store.Database;
import dev.portcullis.tenant.TenantRepository;
import dev.portcullis.token.MasterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code portcullis serve}: applies the tenants file (or the demo tenant on a new database) and serves. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the HTTP server.")
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException {
        long started = System.nanoTime();
        ServerConfig settings = config.load();
        // A missing or exposed key is refused before the database is created or changed.
        MasterKey.resolve(settings.masterKey(), settings.sqliteDataDirectory());
        Database database = Database.open(settings.jdbcUrl(), settings.databasePoolSize());
        Optional<TenantsFile> demo = Optional.empty();
        try {
            if (settings.tenantsFile().isPresent()) {
                TenantsFile file = TenantsFileParser.parse(settings.tenantsFile().get());
                TenantsFileApplier.Result result = new TenantsFileApplier(database.sql(), Clock.systemUTC()).apply(file);
                LOG.info("Applied {}: {} tenant(s), {} change(s)", settings.tenantsFile().get(), result.tenants(), result.changes());
            } else if (new TenantRepository(database.sql()).list().isEmpty()) {
                demo = Optional.of(DemoTenant.load());
                new TenantsFileApplier(database.sql(), Clock.systemUTC()).apply(demo.get());
                LOG.info("New database: created the demo tenant from examples/demo-tenants.yaml");
            }
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
        demo.flatMap(file -> DemoTenant.oboCurl(file, settings.publicUrl())).ifPresent(curl -> {
            System.out.println();
            System.out.println("Demo tenant ready. Get an On-Behalf-Of token for user 'pa':");
            System.out.println();
            System.out.println(curl);
            System.out.println();
            System.out.flush();
        });
        stopped.await();
        return 0;
    }
}
