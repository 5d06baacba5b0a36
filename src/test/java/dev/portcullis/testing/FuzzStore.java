package dev.portcullis.testing;

import dev.portcullis.admin.TenantsFileApplier;
import dev.portcullis.admin.TenantsFileParser;
import dev.portcullis.cimd.MetadataDocumentClients;
import dev.portcullis.client.ClientDirectory;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.console.ConsoleClient;
import dev.portcullis.store.Database;
import dev.portcullis.store.LookupCache;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantDirectory;
import dev.portcullis.tenant.TenantRepository;
import dev.portcullis.token.MasterKey;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The stored configuration the fuzz tests' parsers look things up in: one SQLite database per JVM with
 * fuzz-tenants.yaml applied, and the lookups wired as {@code Core.build} wires them. Opened on first use and
 * shared, since every fuzz test only reads it (a DPoP proof's replay row aside).
 */
public final class FuzzStore {

    public static final String TENANT = "FUZZ";
    public static final String PUBLIC_URL = "http://127.0.0.1:8080";
    public static final String API_URL = "https://api.example.test";

    private static FuzzStore instance;

    private final Database database;
    private final TenantDirectory tenants;
    private final ClientDirectory clients;

    private FuzzStore(Database database) {
        this.database = database;
        LookupCache lookups = new LookupCache(16 * 1024 * 1024);
        this.tenants = new TenantDirectory(new TenantRepository(database.sql()), lookups);
        this.clients = new ClientDirectory(new ClientRepository(database.sql()), lookups, new ConsoleClient(PUBLIC_URL),
                new MetadataDocumentClients(tenants, false, Clock.systemUTC()));
    }

    public static synchronized FuzzStore get() {
        if (instance == null) {
            instance = new FuzzStore(open());
        }
        return instance;
    }

    private static Database open() {
        try {
            Path directory = Files.createTempDirectory("portcullis-fuzz");
            Database database = Database.open("jdbc:sqlite:" + directory.resolve("fuzz.db"), 2);
            // shared by every fuzz test in the JVM, so nothing closes it sooner
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                database.close();
                deleteRecursively(directory);
            }));
            new TenantsFileApplier(database.sql(), ClientSecretHasher.open(MasterKey.decode(TestServer.MASTER_KEY), database.sql()),
                    Clock.systemUTC()).apply(TenantsFileParser.parse(tenantsFile(), "fuzz-tenants.yaml"));
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is no reason to fail a test run
        }
    }

    private static String tenantsFile() {
        try (InputStream in = FuzzStore.class.getResourceAsStream("fuzz-tenants.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Database database() {
        return database;
    }

    public ClientDirectory clients() {
        return clients;
    }

    public Tenant tenant() {
        return tenants.find(TENANT).orElseThrow();
    }

    public TenantDirectory tenants() {
        return tenants;
    }
}
