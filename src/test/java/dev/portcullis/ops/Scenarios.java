package dev.portcullis.ops;

import dev.portcullis.ops.InstanceProcess.Launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ops/scenarios}: the reliability scenarios over two Portcullis instances on PostgreSQL behind HAProxy, then
 * one instance on SQLite, printing one table (scenario, requests, errors, lost items, recovery) with notes, also
 * written to target/ops/RUN/scenarios.md. Exits 1 when a scenario fails.
 *
 * <pre>
 * ops/scenarios [--quick] [--only consistency|load|crash|outage|sqlite-crash]...
 * </pre>
 */
public final class Scenarios {

    private Scenarios() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Set<String> only = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only.add(args[++i]);
                default -> {
                    System.err.println("usage: ops/scenarios [--quick] [--only consistency|load|crash|outage|sqlite-crash]...");
                    System.exit(2);
                }
            }
        }
        Path run = Path.of("target", "ops", Instant.now().toString().replace(":", "").replaceAll("\\..*", "Z")).toAbsolutePath();
        Files.createDirectories(run);
        log("logs in " + run);
        int workers = quick ? 4 : 8;
        Duration phase = Duration.ofSeconds(quick ? 6 : 15);
        List<ScenarioResult> results = new ArrayList<>();

        if (wanted(only, "consistency", "load", "crash", "outage")) {
            log("starting two instances on PostgreSQL behind HAProxy");
            try (OpsCluster cluster = OpsCluster.postgres(Launch.LAUNCHER, 2, true, run.resolve("postgres"))) {
                if (wanted(only, "consistency")) {
                    log("cross-instance consistency");
                    Flows flows = new Flows(new OpsHttp());
                    ConsistencyScenario consistency = new ConsistencyScenario(flows, cluster.instance(0).baseUrl(),
                            cluster.instance(1).baseUrl(), Duration.ofSeconds(1), Duration.ofSeconds(15));
                    consistency.run();
                    results.add(consistency.result("cross-instance consistency (A then B)", flows.http().sent()));
                }
                if (wanted(only, "load")) {
                    log("PKCE and token grants under load through HAProxy");
                    results.add(load(cluster, workers, quick ? Duration.ofSeconds(10) : Duration.ofSeconds(30)));
                }
                if (wanted(only, "crash")) {
                    log("kill -9 of instance a under load");
                    results.add(CrashScenario.run("crash: kill -9 one of 2 (PostgreSQL, HAProxy)", cluster, workers, phase,
                            Duration.ofSeconds(quick ? 4 : 8), phase).result());
                }
                if (wanted(only, "outage")) {
                    Duration outage = Duration.ofSeconds(quick ? 5 : 10);
                    log("database outage: connections refused");
                    results.add(OutageScenario.run("database outage " + outage.toSeconds() + " s: refused", cluster,
                            TcpProxy.Mode.REFUSE, workers, outage));
                    log("database outage: packets dropped");
                    results.add(OutageScenario.run("database outage " + outage.toSeconds() + " s: blackhole", cluster,
                            TcpProxy.Mode.BLACKHOLE, workers, outage));
                }
            }
        }
        if (wanted(only, "sqlite-crash")) {
            log("kill -9 of the single SQLite instance under load");
            try (OpsCluster cluster = OpsCluster.sqlite(Launch.LAUNCHER, run.resolve("sqlite"))) {
                results.add(CrashScenario.run("crash: kill -9 the only instance (SQLite)", cluster, workers, phase,
                        Duration.ofSeconds(2), phase).result());
            }
        }

        String table = ScenarioResult.table(results);
        System.out.println();
        System.out.println(table);
        Files.writeString(run.resolve("scenarios.md"), "Run " + Instant.now() + "\n\n" + table);
        boolean passed = results.stream().allMatch(ScenarioResult::passed);
        log((passed ? "all scenarios passed" : "SOME SCENARIOS FAILED") + "; table in " + run.resolve("scenarios.md"));
        System.exit(passed ? 0 : 1);
    }

    /** The whole PKCE flow and every token grant through the balancer: zero errors, nothing lost. */
    static ScenarioResult load(OpsCluster cluster, int workers, Duration duration) throws Exception {
        MixedLoad load = new MixedLoad(cluster.baseUrl(), workers, new MixedLoad.Mix(4, 2, 1, 2, 3), 0).start();
        long start = System.nanoTime();
        Thread.sleep(duration.toMillis());
        load.stop();
        double seconds = (System.nanoTime() - start) / 1e9;
        StateAudit.Outcome audit;
        try (Connection db = cluster.audit()) {
            audit = StateAudit.verify(load.ledger(), load.flows(), cluster.baseUrl(), db);
        }
        List<MixedLoad.Failure> failures = load.failures();
        ScenarioResult.Builder row = ScenarioResult.named("PKCE and token grants under load (HAProxy)").requests(load.requests())
                .errors(failures.size()).lost(audit.lost() + audit.halfWritten());
        row.note(String.format("%.0f requests/s with %d workers for %.0f s: %,d sign-ins, %,d redemptions, %,d refreshes, "
                        + "%,d client credentials, %,d on-behalf-of, %,d JWKS", load.requests() / seconds, workers, seconds,
                load.operations(MixedLoad.Op.SIGN_IN), load.operations(MixedLoad.Op.REDEEM), load.operations(MixedLoad.Op.REFRESH),
                load.operations(MixedLoad.Op.CLIENT_CREDENTIALS), load.operations(MixedLoad.Op.ON_BEHALF_OF),
                load.operations(MixedLoad.Op.JWKS)));
        row.note(audit.summary());
        failures.stream().limit(5).forEach(f -> row.fail(f.op() + ": " + f.what()));
        audit.problems().stream().limit(5).forEach(row::fail);
        return row.build();
    }

    private static boolean wanted(Set<String> only, String... names) {
        if (only.isEmpty()) {
            return true;
        }
        for (String name : names) {
            if (only.contains(name)) {
                return true;
            }
        }
        return false;
    }

    static void log(String message) {
        System.err.println("[ops " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }
}
