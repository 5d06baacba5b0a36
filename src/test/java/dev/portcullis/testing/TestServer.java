package dev.portcullis.testing;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.Feature;
import dev.portcullis.Portcullis;
import dev.portcullis.admin.TenantsFileApplier;
import dev.portcullis.admin.TenantsFileParser;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.store.Database;
import dev.portcullis.token.KeyLifecycle;
import dev.portcullis.token.MasterKey;
import dev.portcullis.token.SigningKeyFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The real server on a random port, over SQLite in a temporary directory or over a fresh
 * PostgreSQL database, with a tenants file applied; plus a small HTTP client for tests.
 */
public final class TestServer implements AutoCloseable {

    public static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private final StoreKind store;
    private final Path directory;
    private final String jdbcUrl;
    private final Portcullis server;
    private final boolean ownsDatabase;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private TestServer(StoreKind store, Path directory, String jdbcUrl, Portcullis server, boolean ownsDatabase) {
        this.store = store;
        this.directory = directory;
        this.jdbcUrl = jdbcUrl;
        this.server = server;
        this.ownsDatabase = ownsDatabase;
    }

    public static TestServer start(StoreKind store, String tenantsYaml) {
        return start(store, tenantsYaml, Map.of());
    }

    public static TestServer start(StoreKind store, String tenantsYaml, Map<String, String> extraConfig) {
        return start(store, null, tenantsYaml, extraConfig);
    }

    /** Another instance on {@code first}'s database, as behind a load balancer; closing it leaves the database. */
    public static TestServer secondInstance(TestServer first) {
        return secondInstance(first, Map.of());
    }

    /** {@link #secondInstance(TestServer)} with configuration of its own, as {@link #start(StoreKind, String, Map)} takes. */
    public static TestServer secondInstance(TestServer first, Map<String, String> extraConfig) {
        return start(first.store(), first.jdbcUrl(), null, extraConfig);
    }

    /** A server over an existing database of either store (e.g. one the CLI wrote), which it leaves in place on close. */
    public static TestServer startOn(StoreKind store, String jdbcUrl) {
        return start(store, jdbcUrl, null, Map.of());
    }

    /**
     * A server over an existing, empty database of either store, with {@code tenantsYaml} applied and configuration of
     * its own; it leaves the database in place on close (e.g. a PostgreSQL database reached through a {@link TcpProxy}).
     */
    public static TestServer startOn(StoreKind store, String jdbcUrl, String tenantsYaml, Map<String, String> extraConfig) {
        return start(store, jdbcUrl, tenantsYaml, extraConfig);
    }

    /** A server over an existing SQLite file (e.g. one the CLI wrote), which it leaves in place on close. */
    public static TestServer startOnSqlite(Path databaseFile) {
        return start(StoreKind.SQLITE, "jdbc:sqlite:" + databaseFile.toAbsolutePath(), null, Map.of());
    }

    private static TestServer start(StoreKind store, String existingJdbcUrl, String tenantsYaml, Map<String, String> extraConfig) {
        try {
            Path directory = Files.createTempDirectory("portcullis-test");
            String jdbcUrl = existingJdbcUrl != null ? existingJdbcUrl
                    : store == StoreKind.POSTGRES ? PostgresDatabases.create() : "jdbc:sqlite:" + directory.resolve("test.db");
            Map<String, String> env = new HashMap<>();
            env.put("PORTCULLIS_PORT", String.valueOf(freePort()));
            // tests run many servers at once: a fixed management port would collide
            env.put("PORTCULLIS_MANAGEMENT_PORT", "0");
            env.put("PORTCULLIS_DATABASE", jdbcUrl);
            env.put("PORTCULLIS_MASTER_KEY", MASTER_KEY);
            env.put("PORTCULLIS_API_URL", "https://api.example.test");
            env.put("PORTCULLIS_CACHE_REFRESH_SECONDS", "1");
            extraConfig.forEach((key, value) -> env.put("PORTCULLIS_" + key.toUpperCase(), value));
            ServerConfig provisional = new ConfigLoader(env).load(null);
            Database database = Database.open(provisional.jdbcUrl(), provisional.databasePoolSize(), provisional.databaseLimits());
            if (tenantsYaml != null) {
                new TenantsFileApplier(database.sql(), ClientSecretHasher.open(MasterKey.decode(MASTER_KEY), database.sql()),
                        Clock.systemUTC()).apply(TenantsFileParser.parse(tenantsYaml, "test-tenants.yaml"));
                // as portcullis apply does: the tenants' first keys exist before the server starts, so nothing the
                // server does in the background writes under a test that checks what a request wrote
                new KeyLifecycle(database.sql(), new SigningKeyFactory(MasterKey.decode(MASTER_KEY),
                        JWSAlgorithm.parse(provisional.signingAlgorithm())), provisional.cacheRefreshSeconds())
                        .provisioner(Clock.systemUTC()).provisionMissing(Runtime.getRuntime().availableProcessors());
            }
            Portcullis server = Portcullis.start(provisional, database);
            return new TestServer(store, directory, jdbcUrl, server, existingJdbcUrl == null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hasher every test server keys client secrets with (they all share {@link #MASTER_KEY}). */
    public static ClientSecretHasher secretHasher() {
        return new ClientSecretHasher(MasterKey.decode(MASTER_KEY));
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public StoreKind store() {
        return store;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Database database() {
        return server.database();
    }

    /** One of the running server's features, e.g. the admin API whose mounted routes a test compares. */
    public <T extends Feature> T feature(Class<T> type) {
        return server.feature(type);
    }

    /** The server's base URL, which is also its default public_url (issuer base). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build());
    }

    public int port() {
        return server.port();
    }

    public int managementPort() {
        return server.managementPort();
    }

    /** A GET on the management listener ({@code /metrics}, {@code /health/...}). */
    public HttpResponse<String> getManagement(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + path)).GET().build());
    }

    public HttpResponse<String> postForm(String path, Map<String, String> form) {
        return postForm(path, form, Map.of());
    }

    public HttpResponse<String> postForm(String path, Map<String, String> form, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        headers.forEach(request::setHeader);
        return send(request.build());
    }

    public HttpResponse<String> postRaw(String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        return send(http, request);
    }

    /** Sends with {@code client} and reads the body as UTF-8; I/O failures become unchecked, failing the test. */
    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String encode(Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((key, value) -> body.add(java.net.URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    @Override
    public void close() {
        server.close();
        if (store == StoreKind.POSTGRES && ownsDatabase) {
            PostgresDatabases.drop(jdbcUrl);
        }
    }
}
