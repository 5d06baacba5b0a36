package dev.portcullis;

import dev.portcullis.testing.PostgresDatabases;
import dev.portcullis.testing.ServeProcess;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portcullis serve} started as its own process: which start-ups create the demo tenant, which
 * configurations are refused before serving, and the modes of the files it creates. Traffic only
 * ever goes to 127.0.0.1, also when the server binds 0.0.0.0.
 */
class ServeStartupTest {

    private static final String DEMO_TOKEN = "/system/auth/TMPRODB88619984-U/oauth2/token";
    private static final Map<String, String> DEMO_OBO = form("grant_type", "password",
            "client_id", "7121f585-e403-4531-9a38-1826ebc7e7d8", "client_secret", "demo-secret-7121f585-do-not-use-in-production",
            "scope", "knowledge.portalmgr.onbehalfof.read", "subject_username", "pa");
    private static final int START_SECONDS = 60;

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    @Test
    void plainServeOnTheLoopbackDefaultCreatesTheDemoTenantPrintsTheCurlAndKeepsItsFilesPrivate() throws Exception {
        int port = freePort();
        try (ServeProcess serve = ServeProcess.start(temp, Map.of("PORTCULLIS_PORT", String.valueOf(port),
                "PORTCULLIS_MANAGEMENT_PORT", "0"))) {
            assertThat(serve.awaitOutput("Demo tenant ready", START_SECONDS)).as(serve.output()).isTrue();
            assertThat(serve.output()).contains("published credentials: local use only",
                    "curl --location --request POST 'http://127.0.0.1:" + port + DEMO_TOKEN + "'");
            assertToken(post(port, DEMO_TOKEN, DEMO_OBO));

            Path data = temp.resolve("data");
            assertThat(mode(data)).isEqualTo("rwx------");
            for (String file : new String[] {"portcullis.db", "portcullis.db-wal", "portcullis.db-shm", "master.key"}) {
                assertThat(mode(data.resolve(file))).as(file).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void anEmptyDatabaseOnAllInterfacesGetsNoDemoTenantAndTheLogSaysHowToGetOne() throws Exception {
        int port = freePort();
        Path config = config("bind: 0.0.0.0\npublic_url: https://id.example.test\ndatabase: " + temp.resolve("open.db") + "\n");
        try (ServeProcess serve = ServeProcess.start(temp, env(port), "--config", config.toString())) {
            assertThat(serve.awaitOutput("Ready in", START_SECONDS)).as(serve.output()).isTrue();
            assertThat(serve.output()).contains("not creating the demo tenant", "bind 0.0.0.0 is not a loopback address", "--demo")
                    .doesNotContain("Demo tenant ready", "client_secret=demo-secret");
            assertError(post(port, DEMO_TOKEN, DEMO_OBO), 404, "not_found");
        }
    }

    @Test
    void anEmptyPostgresDatabaseGetsNoDemoTenantEvenOnLoopback() throws Exception {
        String database = PostgresDatabases.create();
        int port = freePort();
        try (ServeProcess serve = ServeProcess.start(temp, withDatabase(env(port), database))) {
            assertThat(serve.awaitOutput("Ready in", START_SECONDS)).as(serve.output()).isTrue();
            assertThat(serve.output()).contains("not creating the demo tenant", "the store is PostgreSQL", "--demo")
                    .doesNotContain("Demo tenant ready");
            assertError(post(port, DEMO_TOKEN, DEMO_OBO), 404, "not_found");
        } finally {
            PostgresDatabases.drop(database);
        }
    }

    @Test
    void demoCreatesTheDemoTenantOnPostgresOnAllInterfaces() throws Exception {
        String database = PostgresDatabases.create();
        int port = freePort();
        Map<String, String> env = withDatabase(env(port), database);
        env.put("PORTCULLIS_BIND", "0.0.0.0");
        env.put("PORTCULLIS_PUBLIC_URL", "https://id.example.test");
        try (ServeProcess serve = ServeProcess.start(temp, env, "--demo")) {
            assertThat(serve.awaitOutput("Demo tenant ready", START_SECONDS)).as(serve.output()).isTrue();
            assertThat(serve.output()).contains("published credentials: local use only");
            assertToken(post(port, DEMO_TOKEN, DEMO_OBO));
        } finally {
            PostgresDatabases.drop(database);
        }
    }

    @Test
    void plainHttpOnANonLoopbackBindIsRefusedAtStart() throws Exception {
        Path config = config("bind: 0.0.0.0\npublic_url: http://id.example.test\ndatabase: " + temp.resolve("x.db") + "\n");
        try (ServeProcess serve = ServeProcess.start(temp, env(freePort()), "--config", config.toString())) {
            assertRefused(serve);
            assertThat(serve.output()).contains("error: ", "public_url http://id.example.test is plain http",
                    "bind 0.0.0.0", "allow_insecure_http: true").doesNotContain("\tat ");
            assertThat(temp.resolve("x.db")).doesNotExist();
        }
    }

    @Test
    void allowInsecureHttpAcceptsPlainHttpOnANonLoopbackBindWithAWarningAndNoHsts() throws Exception {
        int port = freePort();
        Path config = config("bind: 0.0.0.0\nallow_insecure_http: true\ndatabase: " + temp.resolve("x.db") + "\n");
        try (ServeProcess serve = ServeProcess.start(temp, env(port), "--config", config.toString(), "--demo")) {
            assertThat(serve.awaitOutput("Demo tenant ready", START_SECONDS)).as(serve.output()).isTrue();
            assertThat(serve.output()).contains("WARN", "session cookies are not Secure");
            HttpResponse<String> token = post(port, DEMO_TOKEN, DEMO_OBO);
            assertToken(token);
            assertThat(token.headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }

    @Test
    void aMasterKeyOtherUsersCanReadIsRefusedAtStart() throws Exception {
        Path data = Files.createDirectory(temp.resolve("data"));
        Path key = data.resolve("master.key");
        Files.writeString(key, TestServer.MASTER_KEY + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        try (ServeProcess serve = ServeProcess.start(temp, Map.of("PORTCULLIS_PORT", String.valueOf(freePort()),
                "PORTCULLIS_MANAGEMENT_PORT", "0"))) {
            assertRefused(serve);
            assertThat(serve.output()).contains("error: ", "chmod 600 " + key.toAbsolutePath()).doesNotContain("\tat ");
            assertThat(data.resolve("portcullis.db")).as("refused before the database is created").doesNotExist();
        }
    }

    /** On today's main these start and serve: the timeout, not a hang, is what fails them. */
    private static void assertRefused(ServeProcess serve) throws InterruptedException {
        OptionalInt exit = serve.awaitExit(START_SECONDS);
        assertThat(exit).as("exited; output:\n%s", serve.output()).isPresent();
        assertThat(exit.getAsInt()).as(serve.output()).isNotZero();
    }

    private Path config(String yaml) throws IOException {
        Path file = temp.resolve("portcullis.yaml");
        Files.writeString(file, yaml + "master_key: " + TestServer.MASTER_KEY + "\n");
        return file;
    }

    private static Map<String, String> env(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("PORTCULLIS_PORT", String.valueOf(port));
        env.put("PORTCULLIS_MANAGEMENT_PORT", "0");
        return env;
    }

    private static Map<String, String> withDatabase(Map<String, String> env, String jdbcUrl) {
        env.put("PORTCULLIS_DATABASE", jdbcUrl);
        env.put("PORTCULLIS_MASTER_KEY", TestServer.MASTER_KEY);
        return env;
    }

    private HttpResponse<String> post(int port, String path, Map<String, String> form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.encode(form))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
