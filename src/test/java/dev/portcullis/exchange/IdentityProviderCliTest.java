package dev.portcullis.exchange;

import dev.portcullis.Main;
import dev.portcullis.admin.AdminCommands;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portcullis idp create|list|remove} and {@code client create --token-exchange}: what the CLI
 * registers is what a running server exchanges tokens for, and a removed provider stops working.
 */
class IdentityProviderCliTest {

    record Run(int exit, String out, String err) {
        String line(String pattern) {
            Matcher matcher = Pattern.compile(pattern).matcher(out);
            assertThat(matcher.find()).as("%s in %s", pattern, out).isTrue();
            return matcher.group(1);
        }
    }

    @TempDir
    Path temp;

    private Run cli(Path config, String stdin, String... args) {
        PrintStream originalOut = System.out;
        InputStream originalIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)));
        try {
            CommandLine commandLine = new CommandLine(new Main());
            commandLine.setExecutionExceptionHandler(new AdminCommands.FriendlyErrors());
            commandLine.setErr(new PrintWriter(err, true));
            String[] withConfig = Arrays.copyOf(args, args.length + 2);
            withConfig[args.length] = "--config";
            withConfig[args.length + 1] = config.toString();
            return new Run(commandLine.execute(withConfig), out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(originalOut);
            System.setIn(originalIn);
        }
    }

    private Run ok(Path config, String... args) {
        Run run = cli(config, null, args);
        assertThat(run.exit()).as("exit of %s; err: %s", String.join(" ", args), run.err()).isZero();
        return run;
    }

    @Test
    void aProviderRegisteredWithTheCliIsUsedByARunningServerUntilRemoved() throws Exception {
        Path database = temp.resolve("cli.db");
        Path config = temp.resolve("portcullis.yaml");
        Files.writeString(config, "database: " + database + "\nmaster_key: " + TestServer.MASTER_KEY + "\n");
        try (RotatingKeyProvider provider = new RotatingKeyProvider()) {
            ok(config, "tenant", "create", "T1", "--name", "One");
            ok(config, "scope", "create", "--tenant", "T1", "deleg.read", "--kind", "delegated");
            ok(config, "user", "create", "--tenant", "T1", "--id", "7", "--username", "ann", "--email", "ann@example.com",
                    "--password-stdin");
            Run client = ok(config, "client", "create", "--tenant", "T1", "--name", "Exchanger", "--platform", "web",
                    "--scope", "deleg.read", "--token-exchange");
            String clientId = client.line("client_id: +(\\S+)");
            String secret = client.line("client_secret: (\\S+)");

            Run refused = cli(config, null, "idp", "create", "--tenant", "T1", "--name", "Bad", "--issuer", provider.issuer(),
                    "--audience", "api://t1", "--algorithm", "HS256");
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.err()).startsWith("error: ").contains("HS256").doesNotContain("Exception");
            assertThat(cli(config, null, "client", "create", "--tenant", "T1", "--name", "S", "--platform", "spa",
                    "--token-exchange").err()).contains("web (confidential)");

            Run created = ok(config, "idp", "create", "--tenant", "T1", "--name", "Rotating", "--issuer", provider.issuer(),
                    "--jwks-uri", provider.jwksUri(), "--audience", "api://t1");
            String registrationId = created.line("registration_id: (\\S+)");
            assertThat(ok(config, "idp", "list", "--tenant", "T1").out()).contains(registrationId).contains(provider.issuer())
                    .contains("api://t1");

            String external = RotatingKeyProvider.token(provider.currentKey(), provider.issuer(), "api://t1", "ann@example.com");
            try (TestServer server = TestServer.startOnSqlite(database)) {
                var request = form("grant_type", ExchangeFixture.GRANT, "client_id", clientId, "client_secret", secret,
                        "subject_token", external, "subject_token_type", ExchangeFixture.ACCESS_TOKEN, "registration_id", registrationId);
                assertThat(OAuthResponses.assertToken(server.postForm("/system/auth/T1-U/oauth2/token", request))
                        .getJWTClaimsSet().getSubject()).isEqualTo("7");

                ok(config, "idp", "remove", "--tenant", "T1", registrationId);
                long deadline = System.currentTimeMillis() + 10_000;
                var response = server.postForm("/system/auth/T1-U/oauth2/token", request);
                while (response.statusCode() == 200 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                    response = server.postForm("/system/auth/T1-U/oauth2/token", request);
                }
                assertError(response, 400, "invalid_request", "unknown registration_id");
            }
        }
    }
}
