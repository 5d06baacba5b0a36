package dev.portcullis.admin;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.store.Database;
import dev.portcullis.tenant.TenantRepository;
import dev.portcullis.token.KeyLifecycle;
import dev.portcullis.token.MasterKey;
import dev.portcullis.token.SigningAlgorithms;
import dev.portcullis.token.SigningKeyFactory;
import dev.portcullis.token.SigningKeyRepository.StoredKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.time.Instant;

/** {@code portcullis keys list|rotate|retire}: a tenant's signing keys and their lifecycle. */
public final class KeyCommands {

    private KeyCommands() {
    }

    @Command(name = "keys", mixinStandardHelpOptions = true, description = "List, rotate or retire a tenant's signing keys.",
            subcommands = {KeysList.class, KeysRotate.class, KeysRetire.class})
    public static final class KeysCommand {
    }

    abstract static class KeyCommand implements Runnable {
        @Mixin
        ConfigOption config;

        @Option(names = "--tenant", required = true)
        String tenant;

        ServerConfig settings;

        @Override
        public void run() {
            settings = config.load();
            try (Database database = config.openDatabase(settings)) {
                if (new TenantRepository(database.sql()).find(tenant).isEmpty()) {
                    throw new IllegalArgumentException("no tenant " + tenant);
                }
                SigningKeyFactory factory = new SigningKeyFactory(MasterKey.of(settings), JWSAlgorithm.parse(settings.signingAlgorithm()));
                execute(new KeyLifecycle(database.sql(), factory, settings.cacheRefreshSeconds()), Clock.systemUTC().instant().getEpochSecond());
            }
        }

        abstract void execute(KeyLifecycle keys, long now);
    }

    @Command(name = "list", description = "List the tenant's keys: kid, algorithm, status, created, when it activates or retires.")
    static final class KeysList extends KeyCommand {
        @Override
        void execute(KeyLifecycle keys, long now) {
            AdminCommands.table(keys.list(tenant), "KID\tALG\tSTATUS\tCREATED\tACTIVATES\tRETIRES", key -> key.kid() + "\t"
                    + key.algorithm() + "\t" + key.status() + "\t" + Instant.ofEpochSecond(key.createdAt()) + "\t"
                    + (key.activatesAt().isPresent() ? Instant.ofEpochSecond(key.activatesAt().getAsLong()) : "-") + "\t"
                    + (key.retiresAt().isPresent() ? Instant.ofEpochSecond(key.retiresAt().getAsLong()) : "-"));
        }
    }

    @Command(name = "rotate", description = "Publish a new key now; it starts signing once every cached JWKS has "
            + "it (the JWKS cache lifetime, 300 s, plus cache_refresh_seconds), and the current key retires when the last "
            + "token it signed has expired.")
    static final class KeysRotate extends KeyCommand {
        @Option(names = "--activate-in", paramLabel = "SECONDS",
                description = "Seconds the new key is published before it signs (default: 300 + cache_refresh_seconds).")
        Long activateIn;

        @Option(names = "--algorithm", paramLabel = "ALG",
                description = "Change the tenant's signing algorithm (RS256, PS256, ES256 or EdDSA) by this rotation; "
                        + "a tenants file applied later sets it again from its signing_alg.")
        String algorithm;

        @Override
        void execute(KeyLifecycle keys, long now) {
            long activateIn = this.activateIn != null ? this.activateIn : KeyLifecycle.prepublication(settings.cacheRefreshSeconds());
            if (activateIn < 0 || activateIn > 30L * 86_400) {
                throw new IllegalArgumentException("--activate-in must be between 0 and 2592000 seconds");
            }
            KeyLifecycle.Rotation rotation = algorithm == null ? keys.rotate(tenant, activateIn, now)
                    : keys.rotateTo(tenant, SigningAlgorithms.require(algorithm, "--algorithm"), activateIn, now);
            StoredKey next = rotation.next();
            System.out.println((rotation.created() ? "Published new key " : "A rotation is already under way: key ")
                    + next.kid() + " (" + next.algorithm() + "); it signs from " + Instant.ofEpochSecond(next.activatesAt().orElse(now)));
        }
    }

    @Command(name = "retire", description = "Remove a key at once (--now): tokens it signed stop verifying. "
            + "An active key is replaced immediately. For an orderly change use 'keys rotate'.")
    static final class KeysRetire extends KeyCommand {
        @Parameters(paramLabel = "KID")
        String kid;

        @Option(names = "--now", required = true, description = "Confirms that tokens signed with the key stop verifying now.")
        boolean now;

        @Override
        void execute(KeyLifecycle keys, long epochSecond) {
            StoredKey retired = keys.retireNow(tenant, kid, epochSecond);
            System.out.println("Removed " + retired.status() + " key " + retired.kid() + " of tenant " + tenant
                    + (retired.status().equals("active") ? "; a new key signs from now" : ""));
        }
    }
}
