package dev.portcullis.admin;

import dev.portcullis.Portcullis;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.token.MasterKey;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.store.Database;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code portcullis selftest}: starts a throwaway server (temporary SQLite, the demo tenant, a
 * loopback port), asks it for metadata, keys and a token of each non-interactive grant over
 * HTTP, and exits non-zero if any answer is wrong. The launcher also uses it as the training run
 * for the class-data-sharing archive that shortens start-up.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Start a throwaway server on a temporary database and check that it issues tokens.")
public final class SelfTestCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Path directory = Files.createTempDirectory("portcullis-selftest");
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            // management on any free port: a running server (or a second selftest) may hold the default 9090
            Map<String, String> env = Map.of(
                    "PORTCULLIS_PORT", String.valueOf(port),
                    "PORTCULLIS_MANAGEMENT_PORT", "0",
                    "PORTCULLIS_DATABASE", directory.resolve("selftest.db").toString());
            ServerConfig config = new ConfigLoader(env).load(null);
            Database database = Database.open(config.jdbcUrl(), 2);
            TenantsFile demo = DemoTenant.load();
            new TenantsFileApplier(database.sql(), ClientSecretHasher.open(MasterKey.of(config), database.sql()),
                    Clock.systemUTC()).apply(demo);
            try (Portcullis server = Portcullis.start(config, database)) {
                return check(config.publicUrl(), demo) ? 0 : 1;
            }
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static boolean check(String base, TenantsFile demo) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String realm = base + "/system/auth/" + demo.tenants().get(0).id();
        boolean ok = expect(http, HttpRequest.newBuilder(URI.create(realm + "-U/.well-known/oauth-authorization-server")).build(),
                200, "metadata");
        ok &= expect(http, HttpRequest.newBuilder(URI.create(realm + "-U/oauth2/jwks")).build(), 200, "jwks");
        TenantsFile.ClientSpec web = demo.tenants().get(0).clients().stream()
                .filter(c -> c.platform().equals("web")).findFirst().orElseThrow();
        String secret = web.secrets().orElseThrow().get(0).value();
        Map<String, String> obo = new LinkedHashMap<>();
        obo.put("grant_type", "password");
        obo.put("client_id", web.clientId());
        obo.put("client_secret", secret);
        obo.put("scope", "knowledge.portalmgr.onbehalfof.read");
        obo.put("subject_username", "pa");
        ok &= expect(http, post(realm + "-U/oauth2/token", obo), 200, "On-Behalf-Of token");
        Map<String, String> cc = new LinkedHashMap<>();
        cc.put("grant_type", "client_credentials");
        cc.put("client_id", web.clientId());
        cc.put("client_secret", secret);
        cc.put("scope", "app.knowledge.contentmgr.manage");
        ok &= expect(http, post(realm + "-U/oauth2/token", cc), 200, "Client Credentials token");
        cc.put("client_secret", "wrong-secret-0123456789abcdefghijklmnopq");
        ok &= expect(http, post(realm + "-U/oauth2/token", cc), 400, "refusal of a wrong secret");
        System.out.println(ok ? "selftest: ok" : "selftest: FAILED");
        return ok;
    }

    private static HttpRequest post(String url, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private static boolean expect(HttpClient http, HttpRequest request, int status, String what)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        boolean ok = response.statusCode() == status;
        System.out.println("selftest: " + what + ": " + (ok ? "ok" : "expected " + status + ", got " + response.statusCode()
                + " " + response.body()));
        return ok;
    }
}
