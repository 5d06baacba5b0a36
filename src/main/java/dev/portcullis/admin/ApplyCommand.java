package dev.portcullis.admin;

import dev.portcullis.config.ServerConfig;
import dev.portcullis.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code portcullis apply FILE}: validates a tenants file whole, then applies it in one transaction. */
@Command(name = "apply", mixinStandardHelpOptions = true, description = "Apply a tenants file (idempotent upsert by id).")
public final class ApplyCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "FILE", description = "The tenants YAML file.")
    Path file;

    @Override
    public Integer call() {
        TenantsFile parsed = TenantsFileParser.parse(file);
        ServerConfig settings = config.load();
        try (Database database = config.openDatabase(settings)) {
            TenantsFileApplier.Result result = new TenantsFileApplier(database.sql(), config.secretHasher(settings, database), Clock.systemUTC()).apply(parsed);
            System.out.println("Applied " + file + ": " + result.tenants() + " tenant(s), " + result.changes() + " change(s)");
            result.generatedRegistrations().forEach(line -> System.out.println("Registered identity provider " + line));
        }
        return 0;
    }
}
