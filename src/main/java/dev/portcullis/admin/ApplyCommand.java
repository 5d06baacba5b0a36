package dev.portcullis.admin;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.store.Database;
import dev.portcullis.token.KeyLifecycle;
import dev.portcullis.token.KeyProvisioner;
import dev.portcullis.token.MasterKey;
import dev.portcullis.token.SigningKeyFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code portcullis apply FILE [--dry-run] [--prune]}: validates a tenants file whole, then applies
 * it in one transaction, printing what changed; a dry run prints every object and rolls back.
 */
@Command(name = "apply", mixinStandardHelpOptions = true, description = "Apply a tenants file (idempotent upsert by id).")
public final class ApplyCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "FILE", description = "The tenants YAML file.")
    Path file;

    @Option(names = "--dry-run", description = "Print what applying would create, change or keep, and change nothing.")
    boolean dryRun;

    @Option(names = "--prune", description = "Also disable the users, customers and clients, and remove the identity providers "
            + "and unused scopes, that the file's tenants hold and the file does not. Tenants not in the file are not touched.")
    boolean prune;

    @Override
    public Integer call() {
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new TenantsFileException("cannot read tenants file " + file + ": " + e.getMessage());
        }
        TenantsFile parsed = TenantsFileParser.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), file.toString());
        ServerConfig settings = config.load();
        // a dry run must not migrate the schema or upgrade stored secret hashes: both are writes outside its transaction
        try (Database database = dryRun ? config.openExistingDatabase(settings) : config.openDatabase(settings)) {
            ClientSecretHasher hasher = dryRun ? new ClientSecretHasher(MasterKey.of(settings)) : config.secretHasher(settings, database);
            TenantsFileApplier.Result result = new TenantsFileApplier(database.sql(), hasher, Clock.systemUTC())
                    .apply(parsed, new TenantsFileApplier.Options(dryRun, prune),
                            // serve, given this same file, need not apply it again until it or the configuration changes
                            tx -> StartupTenantsFile.record(tx, bytes, Clock.systemUTC()));
            result.lines(dryRun).forEach(System.out::println);
            if (dryRun) {
                System.out.println("Dry run of " + file + ": " + result.tenants() + " tenant(s), " + result.changes()
                        + " change(s) would be made; nothing was written.");
            } else {
                System.out.println("Applied " + file + ": " + result.tenants() + " tenant(s), " + result.changes() + " change(s)");
                result.generatedRegistrations().forEach(line -> System.out.println("Registered identity provider " + line));
                createSigningKeys(settings, database);
            }
        }
        return 0;
    }

    /** New tenants get their first signing key now, with every core, so that no first token waits for one. */
    private static void createSigningKeys(ServerConfig settings, Database database) {
        SigningKeyFactory factory = new SigningKeyFactory(MasterKey.of(settings), JWSAlgorithm.parse(settings.signingAlgorithm()));
        KeyProvisioner provisioner = new KeyLifecycle(database.sql(), factory, settings.cacheRefreshSeconds())
                .provisioner(Clock.systemUTC());
        if (provisioner.missing() == 0) {
            return;
        }
        long started = System.nanoTime();
        int created = provisioner.provisionMissing(Runtime.getRuntime().availableProcessors());
        System.out.printf("Created the signing keys of %d new tenant(s) in %.1f s%n", created, (System.nanoTime() - started) / 1e9);
    }
}
