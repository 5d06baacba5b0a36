package dev.portcullis.console;

import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.ServeProcess;
import dev.portcullis.testing.SignInFlow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command: {@code portcullis serve} on an empty database prints the console's URL and a demo
 * administrator whose password it drew at start, and that administrator signs in to the console and manages the tenant.
 */
class DemoAdministratorTest {

    private static final Pattern PASSWORD = Pattern.compile("Sign in as admin with password (\\S+)");
    private static final String TENANT = "TMPRODB88619984";

    @TempDir
    Path temp;

    @Test
    void serveOnAnEmptyDatabasePrintsTheConsoleAndAnAdministratorWithAFreshPassword() throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        String password;
        try (ServeProcess serve = ServeProcess.start(temp, Map.of("PORTCULLIS_PORT", String.valueOf(port),
                "PORTCULLIS_MANAGEMENT_PORT", "0"))) {
            assertThat(serve.awaitOutput("keeps only its hash", 60)).as(serve.output()).isTrue();
            assertThat(serve.output()).contains("Web console: " + base + "/admin/?tenant=" + TENANT);
            Matcher printed = PASSWORD.matcher(serve.output());
            assertThat(printed.find()).isTrue();
            password = printed.group(1);
            assertThat(password).hasSizeGreaterThanOrEqualTo(20).doesNotContain("demo");

            BrowserClient browser = new BrowserClient(base);
            String callback = base + "/admin/callback";
            HttpResponse<String> redirect = SignInFlow.signIn(browser, ConsoleClientTest.authorizePath(TENANT, callback,
                    ConsoleClientTest.challenge(ConsoleClientTest.VERIFIER)), "username", "admin", password);
            String code = BrowserClient.redirectParams(redirect).get("code");
            String token = assertToken(browser.post("/system/auth/" + TENANT + "-U/oauth2/token", form("grant_type",
                    "authorization_code", "code", code, "redirect_uri", callback, "client_id", "portcullis-console",
                    "code_verifier", ConsoleClientTest.VERIFIER))).serialize();
            HttpResponse<String> clients = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                    + "/admin/api/v1/tenants/" + TENANT + "/clients")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(clients.statusCode()).as(clients.body()).isEqualTo(200);
            assertThat(clients.body()).contains("Portal sync (demo)");
        }
        // a second start on the same database creates nothing and prints no password
        try (ServeProcess again = ServeProcess.start(temp, Map.of("PORTCULLIS_PORT", String.valueOf(port),
                "PORTCULLIS_MANAGEMENT_PORT", "0"))) {
            assertThat(again.awaitOutput("Ready in", 60)).as(again.output()).isTrue();
            assertThat(again.output()).doesNotContain(password).doesNotContain("Sign in as admin");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
