package dev.portcullis;

import dev.portcullis.admin.AdminCommands;
import dev.portcullis.testing.DatabaseSnapshot;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code portcullis} command line, run in-process against a temporary SQLite database, with its
 * effects checked through a real server on the same database (which, like a second process, only
 * learns of changes through the configuration revision).
 */
class CliTest {

    private static final Pattern SECRET = Pattern.compile("client_secret: (\\S+)");
    private static final Pattern CLIENT_ID = Pattern.compile("client_id: +(\\S+)");
    private static final String TOKEN = "/system/auth/T1-U/oauth2/token";

    record Run(int exit, String out, String err) {
        String secret() {
            Matcher matcher = SECRET.matcher(out);
            assertThat(matcher.find()).as("a client_secret line in %s", out).isTrue();
            String secret = matcher.group(1);
            assertThat(matcher.find()).as("the secret is printed once").isFalse();
            return secret;
        }

        String clientId() {
            Matcher matcher = CLIENT_ID.matcher(out);
            assertThat(matcher.find()).as("a client_id line in %s", out).isTrue();
            return matcher.group(1);
        }
    }

    @TempDir
    Path temp;
    Path database;
    Path config;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void configure() throws Exception {
        database = temp.resolve("x.db");
        config = temp.resolve("portcullis.yaml");
        Files.writeString(config, "database: " + database + "\nmaster_key: " + TestServer.MASTER_KEY + "\n");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    private Run cli(String... args) {
        return cliWithInput(null, args);
    }

    private Run cliWithInput(String stdin, String... args) {
        PrintStream originalOut = System.out;
        InputStream originalIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        if (stdin != null) {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            CommandLine commandLine = new CommandLine(new Main());
            commandLine.setExecutionExceptionHandler(new AdminCommands.FriendlyErrors());
            commandLine.setErr(new PrintWriter(err, true));
            String[] withConfig = Arrays.copyOf(args, args.length + 2);
            withConfig[args.length] = "--config";
            withConfig[args.length + 1] = config.toString();
            int exit = commandLine.execute(withConfig);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(originalOut);
            System.setIn(originalIn);
        }
    }

    private Run ok(String... args) {
        Run run = cli(args);
        assertThat(run.exit()).as("exit of %s; err: %s", String.join(" ", args), run.err()).isZero();
        return run;
    }

    private static void assertFriendlyError(Run run, String... messageContains) {
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).startsWith("error: ").containsIgnoringCase(messageContains[0]);
        for (String fragment : messageContains) {
            assertThat(run.err()).contains(fragment);
        }
        assertThat(run.err()).doesNotContain("\tat ", "Exception");
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    private TestServer server() {
        TestServer server = TestServer.startOnSqlite(database);
        cleanup.add(0, server);
        return server;
    }

    private void tenantWithScopes() {
        ok("tenant", "create", "T1", "--name", "Tenant one");
        ok("scope", "create", "--tenant", "T1", "app.read", "--kind", "application");
        ok("scope", "create", "--tenant", "T1", "obo.read", "--kind", "on-behalf-of", "--description", "Read for a user");
    }

    private static Map<String, String> cc(String clientId, String secret) {
        return form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret, "scope", "app.read");
    }

    /** Polls for up to 5 s until the response has the status. */
    private static HttpResponse<String> eventually(Supplier<HttpResponse<String>> request, int status) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        HttpResponse<String> response = request.get();
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = request.get();
        }
        return response;
    }

    @Test
    void signingKeysCanBeListedRotatedAndRetiredNow() throws Exception {
        tenantWithScopes();
        Run created = ok("client", "create", "--tenant", "T1", "--name", "Keys", "--platform", "web", "--scope", "app.read");
        TestServer server = server();
        String first = assertToken(server.postForm(TOKEN, cc(created.clientId(), created.secret()))).getHeader().getKeyID();
        assertThat(ok("keys", "list", "--tenant", "T1").out()).contains(first + "\tRS256\tactive\t");

        Run rotated = ok("keys", "rotate", "--tenant", "T1", "--activate-in", "3600");
        assertThat(rotated.out()).contains("Published new key ");
        assertThat(ok("keys", "rotate", "--tenant", "T1").out()).contains("A rotation is already under way");
        String listed = ok("keys", "list", "--tenant", "T1").out();
        assertThat(listed.lines().filter(line -> line.contains("\tnext\t"))).hasSize(1);
        String next = listed.lines().filter(line -> line.contains("\tnext\t")).findFirst().orElseThrow().split("\t")[0];

        // a leaked active key: removed at once, the waiting key takes over, tokens signed with it no longer verify
        assertThat(ok("keys", "retire", "--tenant", "T1", first, "--now").out()).contains("Removed active key " + first);
        assertThat(ok("keys", "list", "--tenant", "T1").out()).doesNotContain(first).contains(next + "\tRS256\tactive\t");
        HttpResponse<String> after = eventually(() -> server.postForm(TOKEN, cc(created.clientId(), created.secret())), 200);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!next.equals(assertToken(after).getHeader().getKeyID()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            after = server.postForm(TOKEN, cc(created.clientId(), created.secret()));
        }
        assertThat(assertToken(after).getHeader().getKeyID()).isEqualTo(next);

        assertFriendlyError(cli("keys", "retire", "--tenant", "T1", "no-such-kid", "--now"), "no signing key");
        assertFriendlyError(cli("keys", "list", "--tenant", "NOPE"), "no tenant");
        assertThat(cli("keys", "retire", "--tenant", "T1", next).exit()).as("--now is required").isNotZero();
    }

    @Test
    void aWebClientCreatedByTheCliGetsATokenWithThePrintedSecret() throws Exception {
        tenantWithScopes();
        Run created = ok("client", "create", "--tenant", "T1", "--name", "Nightly sync", "--platform", "web",
                "--scope", "app.read", "--scope", "obo.read");
        String clientId = created.clientId();
        String secret = created.secret();
        assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]{43}");
        assertThat(clientId).matches("[0-9a-f-]{36}");

        TestServer server = server();
        var claims = assertToken(server.postForm(TOKEN, cc(clientId, secret))).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(clientId);
        assertThat(claims.getStringClaim("actor_type")).isEqualTo("client_app");
        assertError(server.postForm(TOKEN, cc(clientId, secret.substring(1))), 400, "invalid_client");

        Run list = ok("client", "list", "--tenant", "T1");
        assertThat(list.out()).contains(clientId, "Nightly sync", "\tweb\t", "app.read", "obo.read").doesNotContain(secret);
        assertThat(DatabaseSnapshot.contents(server.database().dataSource()).toString()).doesNotContain(secret);
    }

    @Test
    void clientIdCanBeChosenAndSpaClientsGetNoSecret() throws Exception {
        tenantWithScopes();
        Run web = ok("client", "create", "--tenant", "T1", "--name", "Chosen", "--platform", "web", "--client-id", "chosen-id",
                "--scope", "app.read", "--access-token-ttl", "120");
        assertThat(web.clientId()).isEqualTo("chosen-id");
        Run spa = ok("client", "create", "--tenant", "T1", "--name", "Browser", "--platform", "spa", "--scope", "app.read");
        assertThat(spa.out()).doesNotContain("client_secret");

        TestServer server = server();
        HttpResponse<String> token = server.postForm(TOKEN, cc("chosen-id", web.secret()));
        assertToken(token);
        assertThat(token.body()).contains("\"expires_in\":120");
        assertError(server.postForm(TOKEN, form("grant_type", "client_credentials", "client_id", spa.clientId(), "scope", "app.read")),
                400, "unauthorized_client");
    }

    @Test
    void secretsCanBeAddedListedAndRemovedAndAtMostTwoExist() throws Exception {
        tenantWithScopes();
        Run created = ok("client", "create", "--tenant", "T1", "--name", "Rotating", "--platform", "web",
                "--client-id", "rot", "--scope", "app.read");
        String first = created.secret();
        TestServer server = server();
        assertToken(server.postForm(TOKEN, cc("rot", first)));

        String second = ok("client", "secret-add", "--tenant", "T1", "rot").secret();
        assertThat(second).hasSize(43).isNotEqualTo(first);
        assertToken(eventually(() -> server.postForm(TOKEN, cc("rot", second)), 200));
        assertToken(server.postForm(TOKEN, cc("rot", first)));

        assertFriendlyError(cli("client", "secret-add", "--tenant", "T1", "rot"), "already has 2 secrets");

        Run listed = ok("client", "secret-list", "--tenant", "T1", "rot");
        assertThat(listed.out()).doesNotContain(first, second);
        List<String> ids = listed.out().lines().filter(line -> !line.startsWith("NAME\t") && !line.isBlank())
                .map(line -> line.split("\t")[1]).toList();
        assertThat(ids).hasSize(2);

        // which listed id is the secret printed by client create: the one stored under its hash
        String firstId = server.database().sql().queryOne("SELECT id FROM client_secrets WHERE client_id = 'rot' AND secret_hash = ?",
                row -> row.getString(1), dev.portcullis.client.SecretHasher.encode(TestServer.secretHasher().hash(first)))
                .orElseThrow();
        assertThat(ids).contains(firstId);
        ok("client", "secret-remove", "--tenant", "T1", "rot", firstId);
        assertError(eventually(() -> server.postForm(TOKEN, cc("rot", first)), 400), 400, "invalid_client");
        assertToken(server.postForm(TOKEN, cc("rot", second)));
        assertFriendlyError(cli("client", "secret-remove", "--tenant", "T1", "rot", firstId), "has no secret");
    }

    @Test
    void aClientDisabledByTheCliStopsWorkingOnARunningServerWithinSeconds() throws Exception {
        tenantWithScopes();
        String secret = ok("client", "create", "--tenant", "T1", "--name", "C", "--platform", "web", "--client-id", "c1",
                "--scope", "app.read").secret();
        TestServer server = server();
        assertToken(server.postForm(TOKEN, cc("c1", secret)));

        ok("client", "disable", "--tenant", "T1", "c1");
        assertError(eventually(() -> server.postForm(TOKEN, cc("c1", secret)), 400), 400, "invalid_client", "disabled");
        ok("client", "enable", "--tenant", "T1", "c1");
        assertToken(eventually(() -> server.postForm(TOKEN, cc("c1", secret)), 200));
    }

    @Test
    void usersAndCustomersCreatedByTheCliCanBeActedForUntilDisabled() throws Exception {
        tenantWithScopes();
        String secret = ok("client", "create", "--tenant", "T1", "--name", "OBO", "--platform", "web", "--client-id", "obo",
                "--scope", "obo.read").secret();
        Run user = cliWithInput("a long enough password\n", "user", "create", "--tenant", "T1", "--id", "42", "--username", "Zed",
                "--email", "zed@example.com", "--password-stdin");
        assertThat(user.exit()).as(user.err()).isZero();
        ok("customer", "create", "--tenant", "T1", "--id", "cust-7", "--email", "Kay@Example.com");
        assertThat(ok("user", "list", "--tenant", "T1").out()).contains("42\tZed\tzed@example.com\ttrue");
        assertThat(ok("customer", "list", "--tenant", "T1").out()).contains("cust-7\tKay@Example.com\ttrue");

        TestServer server = server();
        String hash = server.database().sql().queryOne("SELECT password_hash FROM subjects WHERE id = '42'", r -> r.getString(1))
                .orElseThrow();
        assertThat(hash).startsWith("$argon2id$").doesNotContain("long enough");

        Map<String, String> forUser = form("grant_type", "password", "client_id", "obo", "client_secret", secret,
                "scope", "obo.read", "subject_username", "zed");
        assertThat(assertToken(server.postForm(TOKEN, forUser)).getJWTClaimsSet().getSubject()).isEqualTo("42");
        Map<String, String> forCustomer = form("grant_type", "password", "client_id", "obo", "client_secret", secret,
                "scope", "obo.read", "subject_email", "kay@example.com");
        assertThat(assertToken(server.postForm("/system/auth/T1-C/oauth2/token", forCustomer)).getJWTClaimsSet().getSubject())
                .isEqualTo("cust-7");

        ok("user", "disable", "--tenant", "T1", "42");
        assertError(eventually(() -> server.postForm(TOKEN, forUser), 400), 400, "invalid_grant");
        ok("customer", "disable", "--tenant", "T1", "cust-7");
        assertError(eventually(() -> server.postForm("/system/auth/T1-C/oauth2/token", forCustomer), 400), 400, "invalid_grant");

        assertFriendlyError(cliWithInput("short\n", "user", "create", "--tenant", "T1", "--id", "43", "--username", "y",
                "--password-stdin"), "at least 8 characters");
        assertFriendlyError(cli("user", "create", "--tenant", "T1", "--id", "44", "--username", "ZED"), "taken");
    }

    @Test
    void tenantsCanBeListedDisabledAndEnabled() throws Exception {
        tenantWithScopes();
        assertThat(ok("tenant", "list").out()).as("its two scopes and the two built-in ones").contains("T1\ttrue\t3600\t4\tTenant one");
        assertThat(ok("scope", "list", "--tenant", "T1").out()).contains("obo.read\ton-behalf-of\tRead for a user", "app.read\tapplication",
                "portcullis.admin\tdelegated\t", "portcullis.admin.api\tapplication\t");
        assertFriendlyError(cli("scope", "create", "--tenant", "T1", "portcullis.admin", "--kind", "delegated"),
                "portcullis.admin is built in; clients may name it without defining it");
        String secret = ok("client", "create", "--tenant", "T1", "--name", "C", "--platform", "web", "--client-id", "c1",
                "--scope", "app.read").secret();
        TestServer server = server();
        assertToken(server.postForm(TOKEN, cc("c1", secret)));

        ok("tenant", "disable", "T1");
        assertThat(ok("tenant", "list").out()).contains("T1\tfalse");
        assertError(eventually(() -> server.postForm(TOKEN, cc("c1", secret)), 404), 404, "not_found", "T1");
        ok("tenant", "enable", "T1");
        assertToken(eventually(() -> server.postForm(TOKEN, cc("c1", secret)), 200));
    }

    @Test
    void applyIsIdempotentAndAnInvalidFileIsRefusedWithItsLineLeavingTheDatabaseAlone() throws Exception {
        Path file = temp.resolve("tenants.yaml");
        String yaml = """
                tenants:
                  - id: T1
                    name: Tenant one
                    scopes:
                      - { name: app.read, kind: application }
                    clients:
                      - client_id: filed
                        name: From a file
                        platform: web
                        secrets: [ "file-secret-0123456789abcdefghijklmno" ]
                        scopes: [ app.read ]
                """;
        Files.writeString(file, yaml);
        assertThat(ok("apply", file.toString()).out()).contains("1 tenant(s)").doesNotContain(" 0 change(s)");
        assertThat(ok("apply", file.toString()).out()).contains("0 change(s)");

        Map<String, List<String>> before = snapshot();
        Path bad = temp.resolve("bad.yaml");
        Files.writeString(bad, yaml.replace("name: From a file", "name: Renamed").replace("[ app.read ]", "[ app.read, app.nope ]"));
        assertFriendlyError(cli("apply", bad.toString()), bad + ":11: ", "app.nope");
        assertThat(snapshot()).isEqualTo(before);

        TestServer server = server();
        assertToken(server.postForm(TOKEN, cc("filed", "file-secret-0123456789abcdefghijklmno")));
    }

    @Test
    void operatorMistakesPrintOneErrorLineAndExitNonZero() throws Exception {
        tenantWithScopes();
        assertFriendlyError(cli("client", "create", "--tenant", "NOPE", "--name", "x", "--platform", "web"), "no tenant NOPE");
        assertFriendlyError(cli("client", "create", "--tenant", "T1", "--name", "x", "--platform", "desktop"), "--platform");
        assertFriendlyError(cli("client", "create", "--tenant", "T1", "--name", "x", "--platform", "web", "--scope", "nope"), "nope");
        assertFriendlyError(cli("tenant", "create", "T1", "--name", "again"), "already exists");
        assertFriendlyError(cli("tenant", "create", "bad id!", "--name", "x"), "tenant id");
        assertFriendlyError(cli("scope", "create", "--tenant", "T1", "x.y", "--kind", "sideways"), "--kind");
        assertFriendlyError(cli("scope", "create", "--tenant", "T1", "app.read", "--kind", "application"), "already exists");
        assertFriendlyError(cli("client", "disable", "--tenant", "T1", "ghost"), "no client ghost");
        assertFriendlyError(cli("user", "disable", "--tenant", "T1", "ghost"), "ghost");
        assertFriendlyError(cli("client", "secret-add", "--tenant", "T1", "ghost"), "ghost");
        ok("client", "create", "--tenant", "T1", "--name", "x", "--platform", "web", "--client-id", "real");
        assertFriendlyError(cli("client", "secret-add", "--tenant", "T1", "real", "--expires", "soon"), "--expires");
        assertFriendlyError(cli("apply", temp.resolve("missing.yaml").toString()), "missing.yaml");

        Files.writeString(config, "database: " + database + "\nmaster_key: " + TestServer.MASTER_KEY + "\nbogus: 1\n");
        assertFriendlyError(cli("tenant", "list"), "bogus");
    }

    @Test
    void environmentVariablesOverrideTheConfigFile() throws Exception {
        // the CLI reads System.getenv(), which a test cannot set; ConfigLoader takes the environment as a map
        Files.writeString(config, "database: /nowhere/x.db\nmaster_key: " + TestServer.MASTER_KEY + "\ncache_refresh_seconds: 9\n");
        var loaded = new dev.portcullis.config.ConfigLoader(Map.of("PORTCULLIS_DATABASE", database.toString(),
                "PORTCULLIS_CACHE_REFRESH_SECONDS", "3")).load(config);
        assertThat(loaded.jdbcUrl()).isEqualTo("jdbc:sqlite:" + database);
        assertThat(loaded.cacheRefreshSeconds()).isEqualTo(3);
        assertThat(loaded.masterKey()).contains(TestServer.MASTER_KEY);
        assertThat(new dev.portcullis.config.ConfigLoader(Map.of()).load(config).jdbcUrl()).isEqualTo("jdbc:sqlite:/nowhere/x.db");
    }

    private Map<String, List<String>> snapshot() throws Exception {
        try (Connection ignored = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            org.sqlite.SQLiteDataSource dataSource = new org.sqlite.SQLiteDataSource();
            dataSource.setUrl("jdbc:sqlite:" + database);
            return DatabaseSnapshot.contents(dataSource);
        }
    }
}
