package dev.portcullis.ops;

import dev.portcullis.ops.MixedLoad.Failure;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code kill -9} of an instance under mixed load, then a restart with the same command, nothing else.
 * Behind the balancer (two instances or more): once HAProxy has taken the instance out no request may fail, and
 * the restarted instance must rejoin by itself. Alone (the embedded SQLite default): requests fail while it is down,
 * none after it is ready again. Either way nothing a client was given may be lost, and the database must hold no
 * half-written state ({@link StateAudit}).
 */
public final class CrashScenario {

    /** The timings and counts of one run, for the table and for the tests' assertions. */
    public record Report(ScenarioResult result, StateAudit.Outcome audit, long failuresAfterOut, long failuresAfterReady,
                         long failuresBeforeOut, boolean rejoined) {
    }

    private CrashScenario() {
    }

    public static Report run(String name, OpsCluster cluster, int workers, Duration before, Duration downtime, Duration after)
            throws Exception {
        InstanceProcess victim = cluster.instance(0);
        MixedLoad load = new MixedLoad(cluster.baseUrl(), workers, MixedLoad.Mix.DEFAULT, 0).start();
        Thread.sleep(before.toMillis());

        long killedAt = System.nanoTime();
        victim.kill();
        long outAfter = -1;
        if (cluster.balancer().isPresent()) {
            outAfter = cluster.balancer().get().awaitStatus(victim.name(), "DOWN", Duration.ofSeconds(15));
        }
        Thread.sleep(Math.max(0, downtime.toMillis() - (System.nanoTime() - killedAt) / 1_000_000));

        long restartedAt = System.nanoTime();
        victim.start();
        boolean ready = victim.awaitReady(Duration.ofSeconds(120));
        long readyAt = System.nanoTime();
        long backAfter = -1;
        if (ready && cluster.balancer().isPresent()) {
            backAfter = cluster.balancer().get().awaitStatus(victim.name(), "UP", Duration.ofSeconds(20));
        }
        Thread.sleep(after.toMillis());
        load.stop();

        List<Failure> failures = load.failures();
        long outAt = outAfter < 0 ? Long.MAX_VALUE : killedAt + outAfter;
        // failures are timed from when their request was sent: one sent before the kill that ended after it was in flight
        long beforeKill = failures.stream().filter(f -> f.atNanos() + f.tookNanos() < killedAt).count();
        long beforeOut = failures.stream().filter(f -> f.atNanos() + f.tookNanos() >= killedAt && f.atNanos() < outAt).count();
        long afterOut = failures.stream().filter(f -> f.atNanos() >= outAt).count();
        long afterReady = failures.stream().filter(f -> f.atNanos() >= readyAt).count();
        long lostDuringLoad = failures.stream().filter(Failure::lost).count();
        long lastFailure = failures.stream().mapToLong(Failure::atNanos).max().orElse(killedAt);

        StateAudit.Outcome audit;
        try (Connection db = cluster.audit()) {
            audit = StateAudit.verify(load.ledger(), load.flows(), cluster.baseUrl(), db);
        }
        long lost = lostDuringLoad + audit.lost() + audit.halfWritten();
        boolean balanced = cluster.balancer().isPresent();
        boolean rejoined = ready && (!balanced || backAfter >= 0);

        ScenarioResult.Builder row = ScenarioResult.named(name).requests(load.requests()).errors(failures.size()).lost(lost)
                .recovery(balanced ? "out " + ScenarioResult.seconds(outAfter) + ", back " + ScenarioResult.seconds(
                        backAfter < 0 ? -1 : readyAt - restartedAt + backAfter) + " after restart"
                        : "ready " + ScenarioResult.seconds(readyAt - restartedAt) + " after restart");
        row.note(String.format("%,d client credentials, %,d on-behalf-of, %,d JWKS, %,d sign-ins, %,d redemptions, %,d refreshes",
                load.operations(MixedLoad.Op.CLIENT_CREDENTIALS), load.operations(MixedLoad.Op.ON_BEHALF_OF),
                load.operations(MixedLoad.Op.JWKS), load.operations(MixedLoad.Op.SIGN_IN), load.operations(MixedLoad.Op.REDEEM),
                load.operations(MixedLoad.Op.REFRESH)));
        if (balanced) {
            row.note(beforeKill + " failures before the kill, " + beforeOut + " in flight at the kill or sent before HAProxy took the"
                    + " instance out, " + afterOut + " after" + kinds(failures, 0, Long.MAX_VALUE));
            if (afterOut > 0) {
                row.fail(afterOut + " requests failed after HAProxy had taken the instance out" + kinds(failures, outAt, Long.MAX_VALUE));
            }
        } else {
            row.note((failures.size() - afterReady) + " requests failed while the only instance was down (last "
                    + ScenarioResult.seconds(lastFailure - killedAt) + " after the kill), " + afterReady + " after it was ready again"
                    + kinds(failures, killedAt, Long.MAX_VALUE));
            if (afterReady > 0) {
                row.fail(afterReady + " requests failed after the restarted instance was ready" + kinds(failures, readyAt, Long.MAX_VALUE));
            }
        }
        failures.stream().limit(3).forEach(f -> row.note("e.g. " + f.op() + " " + f.what()));
        row.note(audit.summary());
        audit.problems().stream().limit(10).forEach(problem -> row.fail(problem));
        failures.stream().filter(Failure::lost).limit(5).forEach(f -> row.fail("lost during the load: " + f.what()));
        if (!rejoined) {
            row.fail("the restarted instance did not rejoin (ready " + ready + ", HAProxy UP after " + backAfter + " ns)");
        }
        if (lost > 0) {
            row.fail(lost + " confirmed items lost or half-written");
        }
        return new Report(row.build(), audit, afterOut, afterReady, beforeOut, rejoined);
    }

    /** The failures in [from, to) by operation and first words of what came back. */
    static String kinds(List<Failure> failures, long from, long to) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Failure f : failures) {
            if (f.atNanos() >= from && f.atNanos() < to) {
                String what = f.what().replaceAll("\\(.*", "").replaceAll("\\s+", " ");
                counts.merge(f.op() + " " + what.substring(0, Math.min(60, what.length())).trim(), 1, Integer::sum);
            }
        }
        return counts.isEmpty() ? "" : " " + counts;
    }
}
