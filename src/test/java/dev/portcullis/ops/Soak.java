package dev.portcullis.ops;

import dev.portcullis.ops.InstanceProcess.Launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak: two instances on PostgreSQL behind HAProxy take the mixed traffic of real clients ({@link MixedLoad}:
 * Client Credentials, On-Behalf-Of, JWKS, PKCE sign-ins, code redemptions, refresh rotations) at half of the
 * capacity measured first, for 20 minutes. Every {@code --sample-seconds} it records the throughput, the latency
 * percentiles of the requests answered in that window, each instance's resident memory and the row counts of the
 * tables housekeeping keeps bounded; then it re-checks every code and refresh token the clients still hold. It writes
 * {@code soak.csv} and {@code soak.md} (the figures and each criterion met or missed) under target/ops/soak-*; the
 * ops/soak script draws the plot from the CSV.
 *
 * <p>So that a 20-minute run shows housekeeping at work, the instances delete what expired every minute
 * ({@code housekeeping_interval_seconds}), sessions end after two minutes unused, and the ops tenant's refresh tokens
 * live ten minutes (ops/tenants.yaml); clients sign out of a sign-in after eight.
 */
public final class Soak {

    static final String[] TABLES = {"browser_sessions", "authorization_codes", "refresh_families", "refresh_tokens",
            "login_failures", "revoked_access_tokens"};
    private static final Duration WARM_UP = Duration.ofMinutes(2);
    /** ops/tenants.yaml's refresh_token_absolute_ttl. */
    private static final int REFRESH_LIFETIME_SECONDS = 600;

    /** One sampling window. */
    record Sample(double seconds, double requestsPerSecond, double operationsPerSecond, double p50, double p99,
                  double p999, long errors, double rssMbA, double rssMbB, Map<String, Long> rows) {
    }

    private final OpsCluster cluster;
    private final Path run;
    private final List<Sample> samples = new ArrayList<>();

    private Soak(OpsCluster cluster, Path run) {
        this.cluster = cluster;
        this.run = run;
    }

    /** {@code ops/soak [--minutes 20] [--rate OPERATIONS_PER_S] [--fraction 0.5] [--workers 32] [--sample-seconds 10]}. */
    public static void main(String[] args) throws Exception {
        double minutes = 20;
        double rate = 0;
        double fraction = 0.5;
        int workers = 32;
        int sampleSeconds = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--fraction" -> fraction = Double.parseDouble(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--sample-seconds" -> sampleSeconds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: ops/soak [--minutes 20] [--rate OPERATIONS_PER_S] [--fraction 0.5] [--workers 32] "
                            + "[--sample-seconds 10]");
                    System.exit(2);
                }
            }
        }
        Path run = Path.of("target", "ops", "soak-" + Instant.now().toString().replace(":", "").replaceAll("\\..*", "Z"))
                .toAbsolutePath();
        Files.createDirectories(run);
        Scenarios.log("soak: logs, soak.csv and soak.md in " + run);
        Map<String, String> settings = Map.of("PORTCULLIS_HOUSEKEEPING_INTERVAL_SECONDS", "60",
                "PORTCULLIS_SESSION_IDLE_TIMEOUT", "120", "PORTCULLIS_SESSION_ABSOLUTE_TIMEOUT", "300");
        boolean passed;
        try (OpsCluster cluster = OpsCluster.postgres(Launch.LAUNCHER, 2, true, run, settings)) {
            passed = new Soak(cluster, run).soak(minutes, rate, fraction, workers, sampleSeconds);
        }
        System.exit(passed ? 0 : 1);
    }

    private boolean soak(double minutes, double givenRate, double fraction, int workers, int sampleSeconds) throws Exception {
        double capacity = 0;
        double rate = givenRate;
        if (rate <= 0) {
            capacity = capacity(workers);
            rate = capacity * fraction;
        }
        Scenarios.log(String.format(Locale.ROOT, "soak at %.0f operations/s for %.0f minutes (%s)", rate, minutes,
                capacity > 0 ? String.format(Locale.ROOT, "%.0f%% of the %.0f measured", fraction * 100, capacity) : "as given"));
        Path csv = run.resolve("soak.csv");
        Files.writeString(csv, header() + "\n");
        MixedLoad load = new MixedLoad(cluster.baseUrl(), workers, MixedLoad.Mix.DEFAULT, rate)
                .signOutAfter(Duration.ofSeconds(REFRESH_LIFETIME_SECONDS - 120)).start();
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        long lastRequests = 0;
        long lastOperations = 0;
        int lastErrors = 0;
        long last = start;
        try (Connection db = cluster.audit()) {
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(0, (last + sampleSeconds * 1_000_000_000L - System.nanoTime()) / 1_000_000));
                long now = System.nanoTime();
                double window = (now - last) / 1e9;
                long requests = load.requests();
                long operations = operations(load);
                int errors = load.failures().size();
                double[] latencies = Arrays.stream(load.drainLatencies()).mapToDouble(n -> n / 1e6).sorted().toArray();
                Sample sample = new Sample((now - start) / 1e9, (requests - lastRequests) / window,
                        (operations - lastOperations) / window, percentile(latencies, 0.50), percentile(latencies, 0.99),
                        percentile(latencies, 0.999), errors - lastErrors, cluster.instance(0).rssKb() / 1024.0,
                        cluster.instance(1).rssKb() / 1024.0, rows(db));
                samples.add(sample);
                Files.writeString(csv, line(sample) + "\n", StandardOpenOption.APPEND);
                System.err.printf(Locale.ROOT, "[soak %5.0f s] %6.0f req/s  p50 %5.1f ms  p99 %6.1f ms  errors %d  RSS %4.0f / %4.0f MB  %s%n",
                        sample.seconds(), sample.requestsPerSecond(), sample.p50(), sample.p99(), sample.errors(),
                        sample.rssMbA(), sample.rssMbB(), sample.rows());
                lastRequests = requests;
                lastOperations = operations;
                lastErrors = errors;
                last = now;
            }
        }
        load.stop();
        StateAudit.Outcome audit;
        try (Connection db = cluster.audit()) {
            audit = StateAudit.verify(load.ledger(), load.flows(), cluster.baseUrl(), db,
                    Duration.ofSeconds(REFRESH_LIFETIME_SECONDS));
        }
        SoakReport report = new SoakReport(samples, WARM_UP.toSeconds(), load.failures(), audit, rate, capacity, workers,
                load.requests());
        String markdown = report.markdown() + (capacityNote.isEmpty() ? "" : "\n" + capacityNote + "\n");
        Files.writeString(run.resolve("soak.md"), markdown);
        System.out.println(markdown);
        return report.passed();
    }

    /** Closed loop with every worker for 10 s of warm-up and 20 s measured: operations per second. */
    private double capacity(int workers) throws InterruptedException {
        Scenarios.log("measuring capacity: " + workers + " workers, closed loop, 10 s warm-up + 20 s");
        MixedLoad load = new MixedLoad(cluster.baseUrl(), workers, MixedLoad.Mix.DEFAULT, 0).start();
        Thread.sleep(10_000);
        long before = operations(load);
        long[] opsBefore = countsByOp(load);
        double cpuBefore = instancesCpuSeconds();
        long start = System.nanoTime();
        Thread.sleep(20_000);
        double perSecond = (operations(load) - before) / ((System.nanoTime() - start) / 1e9);
        double cpu = instancesCpuSeconds() - cpuBefore;
        long[] opsAfter = countsByOp(load);
        load.stop();
        StringBuilder done = new StringBuilder();
        long total = 0;
        for (MixedLoad.Op op : MixedLoad.Op.values()) {
            long n = opsAfter[op.ordinal()] - opsBefore[op.ordinal()];
            total += n;
            done.append(String.format(Locale.ROOT, "%s %d, ", op.name().toLowerCase(Locale.ROOT), n));
        }
        capacityNote = String.format(Locale.ROOT, "capacity window (20 s, closed loop): %s%d operations, %.1f s of CPU in the "
                + "two instances = %.2f ms per operation", done, total, cpu, 1000 * cpu / Math.max(1, total));
        Scenarios.log(capacityNote);
        if (!load.failures().isEmpty()) {
            Scenarios.log("capacity run: " + load.failures().size() + " failures, first: " + load.failures().get(0).what());
        }
        Scenarios.log(String.format(Locale.ROOT, "capacity: %.0f operations/s (%.0f requests/s)", perSecond,
                load.requests() / 30.0));
        return perSecond;
    }

    private String capacityNote = "";

    private static long[] countsByOp(MixedLoad load) {
        long[] counts = new long[MixedLoad.Op.values().length];
        for (MixedLoad.Op op : MixedLoad.Op.values()) {
            counts[op.ordinal()] = load.operations(op);
        }
        return counts;
    }

    /** utime + stime of both instances' processes, in seconds. */
    private double instancesCpuSeconds() {
        double seconds = 0;
        for (InstanceProcess instance : cluster.instances()) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(instance.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
        return seconds;
    }

    private static long operations(MixedLoad load) {
        long total = 0;
        for (MixedLoad.Op op : MixedLoad.Op.values()) {
            total += load.operations(op);
        }
        return total;
    }

    private static Map<String, Long> rows(Connection db) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Statement statement = db.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    result.next();
                    rows.put(table, result.getLong(1));
                }
            }
        }
        return rows;
    }

    static double percentile(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static String header() {
        return "seconds,requests_per_s,operations_per_s,p50_ms,p99_ms,p999_ms,errors,rss_a_mb,rss_b_mb," + String.join(",", TABLES);
    }

    private static String line(Sample s) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.2f,%.2f,%.2f,%d,%.1f,%.1f",
                s.seconds(), s.requestsPerSecond(), s.operationsPerSecond(), s.p50(), s.p99(), s.p999(), s.errors(),
                s.rssMbA(), s.rssMbB()));
        s.rows().values().forEach(count -> line.append(',').append(count));
        return line.toString();
    }
}
