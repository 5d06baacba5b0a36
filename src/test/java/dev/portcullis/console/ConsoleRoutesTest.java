package dev.portcullis.console;

import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the console is served: one page at /admin/ and /admin/callback, modules and stylesheet under content-hashed
 * names cached for a year, a strict Content-Security-Policy on every response, nothing inline, and the admin API's
 * own routes left alone.
 */
class ConsoleRoutesTest {

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(assets/[^\"]+)\"");
    private static final Pattern IMPORT = Pattern.compile("from '\\./([^']+)'");
    private static final Pattern HASHED = Pattern.compile("[a-z0-9-]+\\.[0-9a-f]{12}\\.(js|css|svg)");
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(StoreKind.SQLITE, ConsoleTenants.YAML);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertSecured(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Security-Policy")).as(response.uri().toString()).contains(CSP);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void thePageIsServedAtAdminAndAtTheCallbackWithAStrictPolicyAndNoCaching() {
        HttpResponse<String> bare = server.get("/admin?tenant=ACME");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).contains("/admin/?tenant=ACME");

        HttpResponse<String> page = server.get("/admin/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
        assertSecured(page);
        assertThat(page.body()).contains("<meta name=\"portcullis-public-url\" content=\"" + server.baseUrl() + "\">");

        HttpResponse<String> callback = server.get("/admin/callback?code=x&state=y");
        assertThat(callback.statusCode()).isEqualTo(200);
        assertThat(callback.body()).isEqualTo(page.body());
        assertSecured(callback);
    }

    @Test
    void everyAssetHasAContentHashedNameCachedForAYearAndModulesImportTheHashedNames() {
        String page = server.get("/admin/").body();
        Set<String> seen = new LinkedHashSet<>();
        List<String> pending = new ArrayList<>();
        Matcher assets = ASSET.matcher(page);
        while (assets.find()) {
            pending.add(assets.group(1).substring("assets/".length()));
        }
        assertThat(pending).anyMatch(name -> name.startsWith("main.") && name.endsWith(".js"))
                .anyMatch(name -> name.startsWith("console.") && name.endsWith(".css"));
        while (!pending.isEmpty()) {
            String name = pending.remove(0);
            if (!seen.add(name)) {
                continue;
            }
            assertThat(name).matches(HASHED);
            HttpResponse<String> asset = server.get("/admin/assets/" + name);
            assertThat(asset.statusCode()).as(name).isEqualTo(200);
            assertThat(asset.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
            assertSecured(asset);
            if (name.endsWith(".js")) {
                assertThat(asset.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
                Matcher imports = IMPORT.matcher(asset.body());
                while (imports.find()) {
                    pending.add(imports.group(1));
                }
            }
        }
        // every module of src/main/resources/console is reached from the page
        assertThat(seen).hasSizeGreaterThanOrEqualTo(15);
        assertThat(seen.stream().map(name -> name.replaceAll("\\.[0-9a-f]{12}\\.", ".")).toList()).contains("main.js", "auth.js",
                "api.js", "dom.js", "clients.js", "client-general.js", "client-secrets.js", "client-permissions.js",
                "client-metadata.js", "subjects.js", "scopes.js", "identity-providers.js", "keys.js", "audit.js", "tenants.js",
                "console.css", "icon.svg");

        HttpResponse<String> unknown = server.get("/admin/assets/main.000000000000.js");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void theAdminApiIsNotShadowed() {
        HttpResponse<String> api = server.get("/admin/api/v1/tenants/ACME/clients");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(server.get("/admin/api/v1/openapi.json").statusCode()).isEqualTo(200);
    }

    /** Nothing the policy would have to allow: no inline script or style, no style attribute, no markup built from strings. */
    @Test
    void theSourcesHaveNothingInline() throws IOException {
        Path sources = Path.of(System.getProperty("basedir", ".")).resolve("src/main/resources/console");
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.toList()) {
                String text = Files.readString(file);
                String name = file.getFileName().toString();
                assertThat(text).as(name).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                        "new Function", "style=", "<style", ".style.", "setAttribute('style'");
                if (name.endsWith(".html")) {
                    assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(text).find()).as("inline script in " + name).isFalse();
                    assertThat(text).as(name).doesNotContain(" on", "javascript:");
                }
                if (name.endsWith(".js")) {
                    // requests go to the public URL's origin only: fetch takes URLs built from config.js
                    assertThat(Pattern.compile("fetch\\(\\s*['\"`]https?:").matcher(text).find()).as(name).isFalse();
                }
            }
        }
    }
}
