package dev.portcullis.ops;

import dev.portcullis.ops.InstanceProcess.Launch;
import dev.portcullis.testing.PostgresDatabases;
import dev.portcullis.testing.StoreKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reduced form of ops/scenarios' cross-instance and crash scenarios, in the normal suite: two
 * {@code portcullis serve} processes on one database of either store (no balancer: each request names its instance);
 * what one does, the other honours; then one is killed with SIGKILL under load and started again, and nothing the
 * clients were given is lost or half-written. No timing is asserted: a change only has to arrive (within 20 s).
 */
class ClusterReliabilityTest {

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void instancesHonourEachOtherAndACrashLosesNothing(StoreKind store) throws Exception {
        if (store == StoreKind.POSTGRES) {
            if (!PostgresDatabases.reachable()) {
                dev.portcullis.testing.TestDependencies.missing("PostgreSQL at 127.0.0.1:5432 is unreachable");
            }
        }
        Path logs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "ops-test-" + store.name().toLowerCase() + "-");
        try (OpsCluster cluster = store == StoreKind.POSTGRES ? OpsCluster.postgres(Launch.CLASSPATH, 2, false, logs)
                : OpsCluster.sqlite(Launch.CLASSPATH, 2, logs)) {
            Flows flows = new Flows(new OpsHttp());
            Duration patience = Duration.ofSeconds(20);
            List<ConsistencyScenario.Check> checks = new ConsistencyScenario(flows, cluster.instance(0).baseUrl(),
                    cluster.instance(1).baseUrl(), patience, patience).run();
            assertThat(checks).as("logs in %s", logs).hasSize(10).allSatisfy(check ->
                    assertThat(check.passed()).as("%s: %s", check.name(), check.detail()).isTrue());

            CrashScenario.Report crash = CrashScenario.run("crash", cluster, 2, Duration.ofSeconds(3), Duration.ofSeconds(1),
                    Duration.ofSeconds(2));
            assertThat(crash.rejoined()).as("restarted and ready; logs in %s", logs).isTrue();
            assertThat(crash.audit().problems()).as(crash.audit().summary()).isEmpty();
            assertThat(crash.audit().lost()).isZero();
            assertThat(crash.audit().halfWritten()).isZero();
            assertThat(crash.audit().checked()).as("the clients held something to re-check").isPositive();
            assertThat(crash.failuresAfterReady()).as("failures after the restarted instance was ready: %s",
                    crash.result().notes()).isZero();
            assertThat(crash.result().lost()).as("%s", crash.result().notes()).isZero();
        }
    }
}
