package dev.portcullis.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.portcullis.oidc.OpenIdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * openid-client (npm, v6) with its default OpenID discovery, run by src/test/node/openid-client/flow.mjs:
 * authorization code with PKCE and nonce (the browser part driven by BrowserClient), fetchUserInfo,
 * a refresh, and buildEndSessionUrl, whose URL then signs the browser out without a confirmation page.
 * Needs node and that directory's node_modules (scripts/install-test-deps installs both); skipped, saying why, otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenIdClientNodeTest {

    static final Path PROJECT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    static final Path SCRIPT_DIR = PROJECT.resolve("src/test/node/openid-client");

    private final Map<StoreKind, TestServer> servers = new EnumMap<>(StoreKind.class);

    @BeforeAll
    void requireNode() throws Exception {
        String missing = null;
        try {
            Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                missing = "node does not run";
            }
        } catch (java.io.IOException e) {
            missing = "node is not on the PATH";
        }
        if (missing == null && !Files.isDirectory(SCRIPT_DIR.resolve("node_modules/openid-client"))) {
            missing = SCRIPT_DIR.resolve("node_modules") + " is missing";
        }
        if (missing != null) {
            String reason = "OpenIdClientNodeTest skipped: " + missing + "; run scripts/install-test-deps first";
            dev.portcullis.testing.TestDependencies.missing(reason);
        }
    }

    @AfterAll
    void stop() {
        servers.values().forEach(TestServer::close);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void openIdClientSignsInFetchesUserInfoRefreshesAndBuildsTheEndSessionUrl(StoreKind store) throws Exception {
        TestServer server = servers.computeIfAbsent(store, s -> TestServer.start(s, YAML));
        String issuer = server.baseUrl() + USERS;
        Process node = new ProcessBuilder("node", "flow.mjs", issuer, SPA, SPA_REDIRECT, SPA_LOGGED_OUT)
                .directory(SCRIPT_DIR.toFile()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            String authorizeUrl = awaitLine(out, "AUTHORIZE ", output);
            assertThat(authorizeUrl).startsWith(issuer + "/oauth2/authorize?").contains("nonce=", "code_challenge_method=S256");

            BrowserClient browser = new BrowserClient(server.baseUrl());
            HttpResponse<String> callback = SignInFlow.signIn(browser, authorizeUrl, "username", "pa", PA_PASSWORD);
            in.write(BrowserClient.location(callback) + "\n");
            in.flush();

            JsonNode result = new ObjectMapper().readTree(awaitLine(out, "RESULT ", output));
            assertThat(result.path("discoveredIssuer").asText()).isEqualTo(issuer);
            assertThat(result.path("claims").path("sub").asText()).isEqualTo("1001");
            assertThat(result.path("claims").path("nonce").asText()).isEqualTo(result.path("nonce").asText());
            assertThat(result.path("claims").path("aud").asText()).isEqualTo(SPA);
            assertThat(result.path("userInfo").path("preferred_username").asText()).isEqualTo("pa");
            assertThat(result.path("userInfo").path("email").asText()).isEqualTo("pa@example.com");
            assertThat(result.path("refreshedIdTokenDiffers").asBoolean()).isTrue();
            assertThat(result.path("refreshedClaims").path("sub").asText()).isEqualTo("1001");
            assertThat(result.path("refreshedClaims").has("nonce")).isFalse();

            String endSession = result.path("endSessionUrl").asText();
            assertThat(endSession).startsWith(issuer + "/logout?").contains("id_token_hint=", "post_logout_redirect_uri=");
            HttpResponse<String> signedOut = browser.get(endSession);
            assertThat(signedOut.statusCode()).as(signedOut.body()).isEqualTo(302);
            assertThat(BrowserClient.location(signedOut)).isEqualTo(SPA_LOGGED_OUT + "?state=signed-out");
        } finally {
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
        assertThat(node.exitValue()).as(String.join("\n", output)).isZero();
    }

    /** The rest of the first line with {@code prefix}; an ERROR line or the end of the output fails the test. */
    private static String awaitLine(BufferedReader out, String prefix, List<String> seen) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            seen.add(line);
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
            if (line.startsWith("ERROR ")) {
                throw new AssertionError("openid-client failed: " + line + "\n" + String.join("\n", seen));
            }
        }
        throw new AssertionError("openid-client ended without " + prefix.trim() + ":\n" + String.join("\n", seen));
    }
}
