package dev.portcullis.ops;

import dev.portcullis.ops.MixedLoad.Failure;
import dev.portcullis.ops.MixedLoad.Op;

import java.sql.Connection;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The database becomes unreachable for every instance while they serve mixed load through the balancer, then comes
 * back; PostgreSQL itself keeps running (the {@link TcpProxy} between the instances and it is cut and restored). For
 * each kind of outage the row tells what was still served, how requests failed and how long they took to, and how
 * long after the database came back requests stopped failing. Nothing a client was given may be lost.
 */
public final class OutageScenario {

    private OutageScenario() {
    }

    public static ScenarioResult run(String name, OpsCluster cluster, TcpProxy.Mode mode, int workers, Duration outage)
            throws Exception {
        TcpProxy proxy = cluster.databaseProxy().orElseThrow();
        MixedLoad load = new MixedLoad(cluster.baseUrl(), workers, MixedLoad.Mix.DEFAULT, 0).start();
        Thread.sleep(5_000);
        Map<Op, Long> atCut = counts(load);
        long requestsAtCut = load.requests();
        long cutAt = System.nanoTime();
        proxy.set(mode);
        Thread.sleep(outage.toMillis());
        Map<Op, Long> atRestore = counts(load);
        long requestsAtRestore = load.requests();
        long restoredAt = System.nanoTime();
        proxy.set(TcpProxy.Mode.OPEN);

        // recovered: a quiet period of 5 s without failures (bounded at 120 s)
        long deadline = restoredAt + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            long last = load.failures().stream().mapToLong(Failure::atNanos).max().orElse(0);
            if (System.nanoTime() - Math.max(last, restoredAt) > 5_000_000_000L) {
                break;
            }
            Thread.sleep(200);
        }
        load.stop();

        List<Failure> failures = load.failures();
        long during = failures.stream().filter(f -> f.atNanos() >= cutAt && f.atNanos() < restoredAt).count();
        long lastFailure = failures.stream().mapToLong(Failure::atNanos).filter(t -> t >= restoredAt).max().orElse(-1);
        long slowest = failures.stream().filter(f -> f.atNanos() >= cutAt).mapToLong(Failure::tookNanos).max().orElse(0);
        long before = failures.stream().filter(f -> f.atNanos() < cutAt).count();
        StateAudit.Outcome audit;
        try (Connection db = cluster.audit()) {
            audit = StateAudit.verify(load.ledger(), load.flows(), cluster.baseUrl(), db);
        }
        long lost = failures.stream().filter(Failure::lost).count() + audit.lost() + audit.halfWritten();
        long recovery = lastFailure < 0 ? 0 : lastFailure - restoredAt;

        ScenarioResult.Builder row = ScenarioResult.named(name).requests(load.requests()).errors(failures.size()).lost(lost)
                .recovery("errors end " + ScenarioResult.seconds(recovery) + " after restore");
        StringBuilder served = new StringBuilder();
        for (Op op : Op.values()) {
            long ok = atRestore.get(op) - atCut.get(op);
            long failed = failures.stream().filter(f -> f.op() == op && f.atNanos() >= cutAt && f.atNanos() < restoredAt).count();
            served.append(String.format(Locale.ROOT, "%s %d ok/%d failed; ", op.name().toLowerCase(Locale.ROOT), ok, failed));
        }
        row.note(String.format(Locale.ROOT, "during the %d s outage: %,d requests, %d failed; %s", outage.toSeconds(),
                requestsAtRestore - requestsAtCut, during, served));
        row.note("failures during and after it:" + CrashScenario.kinds(failures, cutAt, Long.MAX_VALUE));
        row.note("slowest failure took " + ScenarioResult.seconds(slowest) + "; " + before + " failures before the cut");
        row.note(audit.summary());
        audit.problems().stream().limit(10).forEach(row::fail);
        if (lost > 0) {
            row.fail(lost + " confirmed items lost or half-written");
        }
        if (lastFailure >= 0 && System.nanoTime() >= deadline) {
            row.fail("requests still failed 120 s after the database came back");
        }
        return row.build();
    }

    private static Map<Op, Long> counts(MixedLoad load) {
        Map<Op, Long> counts = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            counts.put(op, load.operations(op));
        }
        return counts;
    }
}
