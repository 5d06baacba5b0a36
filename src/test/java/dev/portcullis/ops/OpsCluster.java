package dev.portcullis.ops;

import dev.portcullis.ops.InstanceProcess.Launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ops environment: Portcullis instances on one database with one master key, started from ops/portcullis-*.yaml
 * after `portcullis apply ops/tenants.yaml`, and, for PostgreSQL, HAProxy on ops/haproxy.cfg in front of them and a
 * {@link TcpProxy} between them and the database (so that a scenario can cut it). The driver's own checks of the
 * database go to it directly.
 *
 * <p>With {@link Launch#LAUNCHER} the ports are those of the ops/ files (balancer 28080, instances 28081-28083,
 * management 29081-29083, HAProxy stats 28404, database proxy 25432, SQLite instance 28090); inside the test suite
 * ({@link Launch#CLASSPATH}) free ports override them.
 */
public final class OpsCluster implements AutoCloseable {

    public static final String POSTGRES_ADMIN_URL = System.getProperty("portcullis.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    private static final String[] LETTERS = {"a", "b", "c"};

    private final List<InstanceProcess> instances;
    private final Optional<Haproxy> balancer;
    private final Optional<TcpProxy> databaseProxy;
    private final String auditJdbcUrl;
    private final Optional<String> postgresDatabase;
    private final Path logDirectory;

    private OpsCluster(List<InstanceProcess> instances, Optional<Haproxy> balancer, Optional<TcpProxy> databaseProxy,
                       String auditJdbcUrl, Optional<String> postgresDatabase, Path logDirectory) {
        this.instances = instances;
        this.balancer = balancer;
        this.databaseProxy = databaseProxy;
        this.auditJdbcUrl = auditJdbcUrl;
        this.postgresDatabase = postgresDatabase;
        this.logDirectory = logDirectory;
    }

    /** {@code count} instances on a fresh PostgreSQL database, behind HAProxy when {@code withBalancer}. */
    public static OpsCluster postgres(Launch launch, int count, boolean withBalancer, Path logDirectory) throws Exception {
        return postgres(launch, count, withBalancer, logDirectory, Map.of());
    }

    /** {@link #postgres(Launch, int, boolean, Path)} with more PORTCULLIS_* settings, for the CLI and the instances. */
    public static OpsCluster postgres(Launch launch, int count, boolean withBalancer, Path logDirectory, Map<String, String> extra)
            throws Exception {
        String database = "portcullis_ops_" + Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
        try (Connection connection = DriverManager.getConnection(POSTGRES_ADMIN_URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String direct = POSTGRES_ADMIN_URL.replace("/postgres?", "/" + database + "?");
        int proxyPort = launch == Launch.LAUNCHER ? 25432 : freePort();
        TcpProxy proxy = new TcpProxy(proxyPort, "127.0.0.1", 5432).start();
        String throughProxy = direct.replace("127.0.0.1:5432", "127.0.0.1:" + proxyPort);
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("PORTCULLIS_DATABASE", throughProxy);
        env.put("PORTCULLIS_MASTER_KEY", newMasterKey());
        List<InstanceProcess> instances = new ArrayList<>();
        Optional<Haproxy> balancer = Optional.empty();
        try {
            applyTenants(launch, env, logDirectory);
            for (int i = 0; i < count; i++) {
                int port = launch == Launch.LAUNCHER ? 28081 + i : freePort();
                int management = launch == Launch.LAUNCHER ? 29081 + i : freePort();
                instances.add(new InstanceProcess(LETTERS[i], launch, Path.of("ops", "portcullis-" + LETTERS[i] + ".yaml").toAbsolutePath(),
                        env, logDirectory, port, management).start());
            }
            for (InstanceProcess instance : instances) {
                if (!instance.awaitReady(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("instance " + instance.name() + " did not get ready:\n" + instance.tail(30));
                }
            }
            if (withBalancer) {
                balancer = Optional.of(Haproxy.start(launch == Launch.LAUNCHER ? 28080 : freePort(),
                        launch == Launch.LAUNCHER ? 28404 : freePort(), instances, logDirectory));
                for (InstanceProcess instance : instances) {
                    if (balancer.get().awaitStatus(instance.name(), "UP", Duration.ofSeconds(20)) < 0) {
                        throw new IllegalStateException("HAProxy does not see " + instance.name() + " up: " + balancer.get().serverStatus());
                    }
                }
            }
        } catch (Exception | Error e) {
            new OpsCluster(instances, balancer, Optional.of(proxy), direct, Optional.of(database), logDirectory).close();
            throw e;
        }
        return new OpsCluster(instances, balancer, Optional.of(proxy), direct, Optional.of(database), logDirectory);
    }

    /** One instance on a fresh SQLite file (the embedded default), with the master key it generates beside it. */
    public static OpsCluster sqlite(Launch launch, Path logDirectory) throws Exception {
        return sqlite(launch, 1, logDirectory);
    }

    /** {@code count} instances on one fresh SQLite file (they follow each other's changes by polling). */
    public static OpsCluster sqlite(Launch launch, int count, Path logDirectory) throws Exception {
        return sqlite(launch, count, logDirectory, Map.of());
    }

    /** {@link #sqlite(Launch, int, Path)} with more PORTCULLIS_* settings, for the CLI and the instances. */
    public static OpsCluster sqlite(Launch launch, int count, Path logDirectory, Map<String, String> extra) throws Exception {
        Path file = logDirectory.resolve("sqlite").resolve("portcullis.db").toAbsolutePath();
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("PORTCULLIS_DATABASE", file.toString());
        applyTenants(launch, env, logDirectory);
        List<InstanceProcess> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int port = launch == Launch.LAUNCHER ? 28090 + i : freePort();
            int management = launch == Launch.LAUNCHER ? 29090 + i : freePort();
            if (i == 0) {
                // one issuer for all, as behind a balancer: the first instance's URL (the file names none)
                env.putIfAbsent("PORTCULLIS_PUBLIC_URL", "http://127.0.0.1:" + port);
            }
            instances.add(new InstanceProcess(count == 1 ? "sqlite" : "sqlite-" + LETTERS[i], launch,
                    Path.of("ops", "portcullis-sqlite.yaml").toAbsolutePath(), env, logDirectory, port, management));
        }
        instances.forEach(InstanceProcess::start);
        OpsCluster cluster = new OpsCluster(instances, Optional.empty(), Optional.empty(), "jdbc:sqlite:" + file,
                Optional.empty(), logDirectory);
        for (InstanceProcess instance : instances) {
            if (!instance.awaitReady(Duration.ofSeconds(120))) {
                cluster.close();
                throw new IllegalStateException("SQLite instance " + instance.name() + " did not get ready:\n" + instance.tail(30));
            }
        }
        return cluster;
    }

    /** `portcullis apply ops/tenants.yaml` on the database, as an operator provisions it before the servers start. */
    private static void applyTenants(Launch launch, Map<String, String> env, Path logDirectory) throws Exception {
        List<String> command = new ArrayList<>();
        if (launch == Launch.LAUNCHER) {
            command.add(Path.of("portcullis").toAbsolutePath().toString());
        } else {
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), "dev.portcullis.Main"));
        }
        command.addAll(List.of("apply", OpsTenant.file().toString()));
        Files.createDirectories(logDirectory);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDirectory.resolve("apply.log").toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("PORTCULLIS_"));
        builder.environment().putAll(env);
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("portcullis apply ops/tenants.yaml failed (exit " + exit + "); see "
                    + logDirectory.resolve("apply.log") + ":\n" + Files.readString(logDirectory.resolve("apply.log")));
        }
    }

    public List<InstanceProcess> instances() {
        return instances;
    }

    public InstanceProcess instance(int index) {
        return instances.get(index);
    }

    /** The balancer's URL, or the only instance's when there is no balancer. */
    public String baseUrl() {
        return balancer.map(Haproxy::baseUrl).orElse(instances.get(0).baseUrl());
    }

    public Optional<Haproxy> balancer() {
        return balancer;
    }

    public Optional<TcpProxy> databaseProxy() {
        return databaseProxy;
    }

    /** A connection to the database that bypasses the proxy, for the driver's checks. */
    public Connection audit() throws SQLException {
        return DriverManager.getConnection(auditJdbcUrl);
    }

    public boolean postgres() {
        return postgresDatabase.isPresent();
    }

    public Path logDirectory() {
        return logDirectory;
    }

    private static String newMasterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (balancer.isPresent()) {
            balancer.get().close();
        }
        for (InstanceProcess instance : instances) {
            instance.stop();
        }
        databaseProxy.ifPresent(TcpProxy::close);
        if (postgresDatabase.isPresent()) {
            try (Connection connection = DriverManager.getConnection(POSTGRES_ADMIN_URL); Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + postgresDatabase.get() + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("could not drop " + postgresDatabase.get() + ": " + e.getMessage());
            }
        }
    }
}
