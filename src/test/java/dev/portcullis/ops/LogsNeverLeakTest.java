package dev.portcullis.ops;

import dev.portcullis.ops.InstanceProcess.Launch;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs never leak: a real `portcullis serve` with logging at DEBUG takes the randomized run's traffic (every endpoint,
 * valid and malformed: token grants with client secrets, sign-ins with passwords, codes and verifiers, refresh
 * rotations, introspection and revocation of live tokens, registrations, the admin API with a bearer token), and
 * not one secret it was sent or answered appears in any log line: not whole, not as one part of a JWT, not
 * percent-encoded. {@code ops/random-requests} does the same over its hundred thousand requests.
 */
class LogsNeverLeakTest {

    private static final long SEED = Long.getLong("portcullis.random.seed", 20261202L);

    @Test
    void atDebugNoSecretSentOrAnsweredAppearsInAnyLogLine() throws Exception {
        Path logs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "log-leak-test-");
        SentSecrets secrets = new SentSecrets();
        RandomRequests.Report report;
        try (OpsCluster cluster = OpsCluster.sqlite(Launch.CLASSPATH, 1, logs, Map.of("PORTCULLIS_LOG_LEVEL", "DEBUG"))) {
            report = new RandomRequests(cluster.baseUrl(), secrets::observe).run(3_000, 3, SEED);
        }
        String everything = String.join("\n", logLines(logs));

        assertThat(report.violations()).as(report.summary()).isZero();
        assertThat(secrets.kinds()).as("the run sent and got every kind of secret").contains("client secret", "password",
                "code", "code verifier", "access token", "refresh token", "presented token", "registration access token");
        assertThat(everything).as("the server logged each request at DEBUG, refusals with their description")
                .contains("DEBUG http - POST /system/auth/OPS-U/oauth2/token 200").contains("error=invalid_client description=");
        assertThat(everything).as("it logged the traffic (audit lines)").contains("token_issued");
        List<LogLeaks.Leak> leaks = LogLeaks.scan(logs, secrets.kindBySecret());
        assertThat(leaks).as("secrets in the logs under %s", logs).isEmpty();
    }

    @Test
    void theScanFindsATokenWholeAsAJwtPartAndPercentEncoded() throws Exception {
        Path logs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "log-leak-scan-");
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImF1ZCI6Im9wcyJ9.c2lnbmF0dXJlLW9mLWEtdG9rZW4tMDEyMzQ1Njc4OQ";
        Files.writeString(logs.resolve("a.log"), String.join("\n",
                "2026-12-02T00:00:00Z INFO audit - token_issued client=ops-web jti=abc",
                "2026-12-02T00:00:01Z DEBUG X - payload " + jwt.split("\\.")[1],
                "2026-12-02T00:00:02Z DEBUG X - form client_secret=ab%2FCdEfGhIjKlMnOpQrStUvWx",
                "2026-12-02T00:00:03Z DEBUG X - header eyJhbGciOiJSUzI1NiJ9 alone is no secret"));
        Map<String, String> secrets = Map.of(jwt, "access token", "ab/CdEfGhIjKlMnOpQrStUvWx", "client secret");

        List<LogLeaks.Leak> leaks = LogLeaks.scan(logs, secrets);

        assertThat(leaks).extracting(LogLeaks.Leak::kind).containsExactly("access token", "client secret");
    }

    private static List<String> logLines(Path directory) throws Exception {
        try (var walk = Files.walk(directory)) {
            return walk.filter(f -> f.toString().endsWith(".log")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
