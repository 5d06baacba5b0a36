package dev.portcullis.ops;

import dev.portcullis.ops.InstanceProcess.Launch;
import dev.portcullis.testing.PostgresDatabases;
import dev.portcullis.testing.StoreKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The small form of ops/random-requests in the normal suite: a few thousand valid and malformed requests over every
 * endpoint of a real `portcullis serve` process on each store; no 5xx, every valid request served, every refusal in
 * its documented shape. The seed is fixed so that a failure reproduces (`-Dportcullis.random.seed=N` picks another).
 */
class RandomRequestsTest {

    private static final long SEED = Long.getLong("portcullis.random.seed", 20261201L);

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyRequestIsAnsweredAndEveryValidOneServed(StoreKind store) throws Exception {
        if (store == StoreKind.POSTGRES) {
            if (!PostgresDatabases.reachable()) {
                dev.portcullis.testing.TestDependencies.missing("PostgreSQL at 127.0.0.1:5432 is unreachable");
            }
        }
        Path logs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "random-test-" + store.name().toLowerCase() + "-");
        try (OpsCluster cluster = store == StoreKind.POSTGRES ? OpsCluster.postgres(Launch.CLASSPATH, 1, false, logs)
                : OpsCluster.sqlite(Launch.CLASSPATH, logs)) {
            RandomRequests.Report report = new RandomRequests(cluster.baseUrl()).run(3_000, 3, SEED);

            assertThat(report.examples()).as("%s; seed %d; server log %s", report.summary(), SEED, logs).isEmpty();
            assertThat(report.violations()).isZero();
            assertThat(report.byEndpoint().keySet()).as("every endpoint was reached").containsAll(RandomCatalog.WEIGHTS.keySet());
            assertThat(report.valid()).isGreaterThan(500);
            assertThat(report.malformed()).isGreaterThan(500);
        }
    }
}
