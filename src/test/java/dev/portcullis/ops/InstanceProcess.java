package dev.portcullis.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Portcullis server process, started as users start it: {@code ./portcullis serve -c FILE} (the launcher, which
 * execs the JVM, so this process is the server's), or, inside the test suite where the jar is not built yet,
 * {@code java -cp <the test class path> dev.portcullis.Main serve -c FILE}. Output goes to a log file. It can be
 * killed with SIGKILL, as a crash, and started again with the same settings.
 */
public final class InstanceProcess implements AutoCloseable {

    /** How the server is launched. */
    public enum Launch { LAUNCHER, CLASSPATH }

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Launch launch;
    private final Path configFile;
    private final Map<String, String> environment;
    private final Path log;
    private final int port;
    private final int managementPort;
    private Process process;
    private int starts;

    public InstanceProcess(String name, Launch launch, Path configFile, Map<String, String> environment, Path logDirectory,
                           int port, int managementPort) {
        this.name = name;
        this.launch = launch;
        this.configFile = configFile;
        this.environment = Map.copyOf(environment);
        this.log = logDirectory.resolve(name + ".log");
        this.port = port;
        this.managementPort = managementPort;
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public Path log() {
        return log;
    }

    /** Starts the process (again, after a kill: its log is appended to) and returns without waiting. */
    public synchronized InstanceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        List<String> command = new ArrayList<>();
        if (launch == Launch.LAUNCHER) {
            command.add(Path.of("portcullis").toAbsolutePath().toString());
        } else {
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx192m", "-XX:+ExitOnOutOfMemoryError",
                    "-cp", System.getProperty("java.class.path"), "dev.portcullis.Main"));
        }
        command.addAll(List.of("serve", "-c", configFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("PORTCULLIS_"));
        Map<String, String> env = new HashMap<>(environment);
        env.put("PORTCULLIS_PORT", String.valueOf(port));
        env.put("PORTCULLIS_MANAGEMENT_PORT", String.valueOf(managementPort));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "---- start " + (++starts) + " at " + java.time.Instant.now() + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Waits until /health/ready answers 200; false if the process died or the time ran out. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ready()) {
                return true;
            }
            if (!alive()) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public boolean ready() {
        try {
            HttpResponse<Void> response = PROBE.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Resident memory in KiB, from /proc (0 when it is not running). */
    public long rssKb() {
        long pid = pid();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** SIGKILL: no shutdown hook, no graceful close, whatever was in flight is cut off. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, as an operator stops it; SIGKILL if it has not ended after 15 s. */
    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The last lines of the log, for a failure message. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
