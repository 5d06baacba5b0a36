package dev.portcullis.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy from Debian's package, run in the foreground on ops/haproxy.cfg with the addresses of this environment,
 * and its statistics (the CSV of its stats page), which tell when it took a server out and put it back.
 */
public final class Haproxy implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final int port;
    private final int statsPort;
    private final OpsHttp http = new OpsHttp();
    private Process process;

    private Haproxy(int port, int statsPort) {
        this.port = port;
        this.statsPort = statsPort;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts it in front of {@code instances} (two or three) and waits until it answers its stats page. */
    public static Haproxy start(int port, int statsPort, List<InstanceProcess> instances, Path logDirectory)
            throws InterruptedException {
        if (!installed()) {
            throw new IllegalStateException("HAProxy is not installed: run scripts/install-ops-deps (apt-get install haproxy)");
        }
        Haproxy haproxy = new Haproxy(port, statsPort);
        Map<String, String> env = new HashMap<>();
        env.put("PORTCULLIS_LISTEN", "127.0.0.1:" + port);
        env.put("PORTCULLIS_STATS", "127.0.0.1:" + statsPort);
        env.put("PORTCULLIS_ERRORS", Path.of("ops", "errors").toAbsolutePath().toString());
        String[] letters = {"A", "B", "C"};
        for (int i = 0; i < instances.size(); i++) {
            env.put("PORTCULLIS_" + letters[i], "127.0.0.1:" + instances.get(i).port());
            env.put("PORTCULLIS_" + letters[i] + "_CHECK_PORT", String.valueOf(instances.get(i).managementPort()));
        }
        ProcessBuilder builder = new ProcessBuilder(BINARY.toString(), "-db", "-f", Path.of("ops", "haproxy.cfg").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logDirectory.resolve("haproxy.log").toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("PORTCULLIS_"));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(logDirectory);
            haproxy.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (haproxy.http.get(haproxy.statsUrl()).status() == 200) {
                return haproxy;
            }
            if (!haproxy.process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        haproxy.close();
        throw new IllegalStateException("HAProxy did not start; see " + logDirectory.resolve("haproxy.log"));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private String statsUrl() {
        return "http://127.0.0.1:" + statsPort + "/stats;csv";
    }

    /** Each checked server of the portcullis backend and its status: UP, DOWN, "UP 1/2" (going down), "DOWN 1/2"... */
    public Map<String, String> serverStatus() {
        OpsHttp.Reply reply = http.get(statsUrl());
        Map<String, String> status = new HashMap<>();
        if (reply.status() != 200) {
            return status;
        }
        String[] lines = reply.body().split("\n");
        List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(","));
        int proxy = header.indexOf("pxname");
        int server = header.indexOf("svname");
        int state = header.indexOf("status");
        for (int i = 1; i < lines.length; i++) {
            String[] columns = lines[i].split(",", -1);
            if (columns.length > state && columns[proxy].equals("portcullis") && !columns[server].equals("BACKEND")
                    && !columns[server].endsWith("-unchecked")) {
                status.put(columns[server], columns[state]);
            }
        }
        return status;
    }

    /** Waits until server {@code name} (a, b, c) has status {@code wanted}; the time it took, or -1 on timeout. */
    public long awaitStatus(String name, String wanted, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < timeout.toNanos()) {
            if (wanted.equals(serverStatus().get(name))) {
                return System.nanoTime() - start;
            }
            Thread.sleep(20);
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
