package dev.portcullis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A tenant and a client for the reliability tests (database outages, overload, rate limits): every request is
 * sent with a generous timeout, so a server that hangs fails the test instead of stalling it.
 */
public final class ReliabilityTenant {

    public static final String TENANT = "REL";
    public static final String TOKEN = "/system/auth/REL-U/oauth2/token";
    public static final String APP = "app";
    public static final String APP_SECRET = "app-secret-0123456789abcdefghijklmnop";
    public static final String OTHER_APP = "other-app";
    public static final String WEB = "web";
    public static final String WEB_SECRET = "web-secret-0123456789abcdefghijklmnop";
    public static final String WEB_REDIRECT = "https://app.example.com/callback";
    public static final String ALICE_PASSWORD = "alice-password-0001";
    /** Far above anything a healthy server or a bounded failure takes; only a hang reaches it. */
    public static final Duration HANG = Duration.ofSeconds(30);

    public static final String YAML = """
            tenants:
              - id: REL
                name: Reliability tenant
                scopes:
                  - { name: app.read, kind: application }
                  - { name: obo.read, kind: on-behalf-of }
                  - { name: web.read, kind: delegated }
                users:
                  - { id: "u1", username: alice, password: "alice-password-0001" }
                  - { id: "u2", username: bob }
                  - { id: "u3", username: carol }
                clients:
                  - client_id: app
                    name: App
                    platform: web
                    secrets: [ "app-secret-0123456789abcdefghijklmnop" ]
                    scopes: [ app.read, obo.read ]
                  - client_id: other-app
                    name: Other app
                    platform: web
                    secrets: [ "app-secret-0123456789abcdefghijklmnop" ]
                    scopes: [ app.read ]
                  - client_id: web
                    name: Web
                    platform: web
                    consent: skip
                    secrets: [ "web-secret-0123456789abcdefghijklmnop" ]
                    scopes: [ web.read ]
                    redirect_uris: [ "https://app.example.com/callback" ]
            """;

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ReliabilityTenant() {
    }

    public static Map<String, String> clientCredentials() {
        return clientCredentials(APP);
    }

    public static Map<String, String> clientCredentials(String clientId) {
        return Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", APP_SECRET, "scope", "app.read");
    }

    public static Map<String, String> onBehalfOf(String username) {
        return Map.of("grant_type", "password", "client_id", APP, "client_secret", APP_SECRET, "scope", "obo.read",
                "subject_username", username);
    }

    public static String authorizePath(String state) {
        return "/system/auth/REL-U/oauth2/authorize?client_id=" + WEB + "&response_type=code&redirect_uri="
                + "https%3A%2F%2Fapp.example.com%2Fcallback&scope=web.read&state=" + state;
    }

    /** Opens the sign-in page in a new browser and submits alice's password: the login POST's answer. */
    public static HttpResponse<String> signIn(TestServer server, String state) {
        return signIn(server, state, Map.of());
    }

    public static HttpResponse<String> signIn(TestServer server, String state, Map<String, String> headers) {
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = browser.get(authorizePath(state));
        if (page.statusCode() != 200) {
            return page;
        }
        return browser.submit(page, Map.of("username", "alice", "password", ALICE_PASSWORD), headers);
    }

    public static HttpResponse<String> post(TestServer server, String path, Map<String, String> form) {
        return post(server, path, form, Map.of());
    }

    public static HttpResponse<String> post(TestServer server, String path, Map<String, String> form, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(HANG)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.encode(form)));
        headers.forEach(request::header);
        return send(request.build());
    }

    public static HttpResponse<String> get(TestServer server, String path) {
        return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(HANG).GET().build());
    }

    public static HttpResponse<String> getManagement(TestServer server, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort() + path)).timeout(HANG)
                .GET().build());
    }

    /** Asks again, a quarter second apart, until {@code done} holds or {@code seconds} pass; returns the last answer. */
    public static HttpResponse<String> eventually(int seconds, java.util.function.Supplier<HttpResponse<String>> ask,
                                                  Predicate<HttpResponse<String>> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        HttpResponse<String> last = ask.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = ask.get();
        }
        return last;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new AssertionError("the server did not answer " + request.method() + " " + request.uri().getPath()
                    + " within " + HANG.toSeconds() + " s: it hung", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
