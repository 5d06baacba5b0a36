package dev.portcullis.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example SPA (examples/spa) in Debian's headless Chromium, driven by Selenium through
 * /usr/bin/chromedriver, against the real server with the demo tenant: sign in with the
 * authorization code flow and PKCE in both realms, verify the access token in the page, refresh, sign out.
 *
 * Needs /usr/bin/chromium, /usr/bin/chromedriver and examples/spa/node_modules
 * (scripts/install-test-deps installs all three); skipped, saying why, when one is missing
 * (see {@link BrowserTestSupport}). {@link OpenIdSpaBrowserTest} drives the OpenID page, openid.html.
 */
class SpaBrowserTest extends BrowserTestSupport {

    static final String SCOPE = "core.aiservices.read core.aiservices.write";

    @BeforeAll
    static void startSite() throws IOException {
        serveSpa("SpaBrowserTest", "oauth4webapi", "jose");
    }

    /** Independent of the server's sign-in flow: the SPA's authorization request, checked at a stand-in server. */
    @Test
    void signInSendsAPkceS256AuthorizationRequestAndRejectsAForeignIss() throws Exception {
        List<URI> authorizeRequests = new CopyOnWriteArrayList<>();
        HttpServer standIn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String base = "http://127.0.0.1:" + standIn.getAddress().getPort();
        String issuer = base + "/system/auth/" + TENANT + "-U";
        standIn.createContext("/.well-known/oauth-authorization-server/system/auth/" + TENANT + "-U", exchange -> {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("issuer", issuer);
            metadata.put("authorization_endpoint", issuer + "/oauth2/authorize");
            metadata.put("token_endpoint", issuer + "/oauth2/token");
            metadata.put("jwks_uri", issuer + "/oauth2/jwks");
            metadata.put("response_types_supported", List.of("code"));
            metadata.put("code_challenge_methods_supported", List.of("S256"));
            metadata.put("authorization_response_iss_parameter_supported", true);
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            respond(exchange, "application/json", new ObjectMapper().writeValueAsBytes(metadata));
        });
        standIn.createContext("/system/auth/" + TENANT + "-U/oauth2/authorize", exchange -> {
            authorizeRequests.add(exchange.getRequestURI());
            respond(exchange, "text/html; charset=utf-8", "<h1>stand-in authorization endpoint</h1>".getBytes(StandardCharsets.UTF_8));
        });
        standIn.start();
        try {
            openSpa(base);
            driver.findElement(By.id("realm-user")).click();
            driver.findElement(By.id("sign-in")).click();
            waitUntil("the stand-in authorization endpoint", d -> !authorizeRequests.isEmpty());

            Map<String, String> query = queryOf(authorizeRequests.get(0));
            assertThat(query).containsEntry("client_id", CLIENT_ID)
                    .containsEntry("response_type", "code")
                    .containsEntry("redirect_uri", site.origin() + "/")
                    .containsEntry("scope", SCOPE)
                    .containsEntry("code_challenge_method", "S256")
                    .containsKeys("state", "code_challenge");

            // The verifier stayed behind in the SPA's sessionStorage; the challenge is its S256 hash.
            driver.get(site.origin() + "/");
            waitForReady();
            JsonNode pending = new ObjectMapper().readTree((String) ((JavascriptExecutor) driver)
                    .executeScript("return sessionStorage.getItem('portcullis.spa.pending')"));
            assertThat(pending.get("state").asText()).isEqualTo(query.get("state"));
            assertThat(pending.get("issuer").asText()).isEqualTo(issuer);
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(pending.get("codeVerifier").asText().getBytes(StandardCharsets.US_ASCII));
            assertThat(query.get("code_challenge")).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));

            // RFC 9207: a response carrying another issuer's `iss` is refused before any code exchange.
            driver.get(site.origin() + "/?code=stolen&state=" + query.get("state") + "&iss=https%3A%2F%2Fattacker.example");
            waitForReady();
            WebElement status = driver.findElement(By.id("status"));
            assertThat(status.getText()).startsWith("Sign-in failed").contains("iss");
            assertThat(status.getAttribute("class")).contains("error");
            assertThat(driver.getCurrentUrl()).isEqualTo(site.origin() + "/");
        } finally {
            standIn.stop(0);
        }
    }

    @Test
    void signsInRefreshesAndSignsOutInBothRealms() throws Exception {
        String demoTenants = Files.readString(PROJECT.resolve("examples/demo-tenants.yaml"));
        try (TestServer server = TestServer.start(StoreKind.SQLITE, demoTenants)) {
            openSpa(server.baseUrl());

            // User realm.
            signInThroughTheServer(server, "realm-user", "Username", "pa", "demo-password-pa", "user-login.png");
            JsonNode userClaims = claimsAfter("Token verified");
            assertThat(claimsText()).contains("\"actor_type\": \"user\"").contains("\"sub\": \"1001\"");
            assertThat(userClaims.get("iss").asText()).isEqualTo(server.baseUrl() + "/system/auth/" + TENANT + "-U");
            assertThat(userClaims.get("client_id").asText()).isEqualTo(CLIENT_ID);
            assertThat(userClaims.get("scope").asText()).contains("core.aiservices.read");

            driver.findElement(By.id("refresh")).click();
            JsonNode refreshedUserClaims = claimsAfter("Refreshed");
            assertThat(refreshedUserClaims.get("sub").asText()).isEqualTo("1001");
            assertThat(refreshedUserClaims.get("jti").asText()).isNotEqualTo(userClaims.get("jti").asText());
            screenshot("user-claims.png");

            signOut(server, "user-logout.png");
            // The server's session ended too: signing in again asks for the password again.
            driver.findElement(By.id("realm-user")).click();
            driver.findElement(By.id("sign-in")).click();
            waitUntil("the login page after sign-out", d -> onServer(server) && !d.findElements(By.tagName("form")).isEmpty());
            assertThat(fieldLabelled("Password")).isNotNull();
            openSpa(server.baseUrl());

            // Customer realm.
            signInThroughTheServer(server, "realm-customer", "Email", "jane@example.com", "demo-password-jane", "customer-login.png");
            JsonNode customerClaims = claimsAfter("Token verified");
            assertThat(claimsText()).contains("\"actor_type\": \"customer\"").contains("\"sub\": \"c-2001\"");
            assertThat(customerClaims.get("iss").asText()).isEqualTo(server.baseUrl() + "/system/auth/" + TENANT + "-C");

            driver.findElement(By.id("refresh")).click();
            JsonNode refreshedCustomerClaims = claimsAfter("Refreshed");
            assertThat(refreshedCustomerClaims.get("actor_type").asText()).isEqualTo("customer");
            assertThat(refreshedCustomerClaims.get("jti").asText()).isNotEqualTo(customerClaims.get("jti").asText());
            screenshot("customer-claims.png");

            signOut(server, "customer-logout.png");
        }
    }

    /** From the SPA's start page through the server's login page (a wrong password first) and consent, back to the SPA. */
    private void signInThroughTheServer(TestServer server, String realmRadio, String identifierLabel, String identifier,
                                        String password, String screenshot) throws IOException {
        driver.findElement(By.id(realmRadio)).click();
        driver.findElement(By.id("sign-in")).click();
        waitUntil("the server's login page", d -> onServer(server) && !d.findElements(By.tagName("form")).isEmpty());

        WebElement identifierField = fieldLabelled(identifierLabel);
        WebElement passwordField = fieldLabelled("Password");
        assertThat(identifierField).as("a field labelled \"%s\" on %s", identifierLabel, driver.getCurrentUrl()).isNotNull();
        assertThat(passwordField).as("a field labelled \"Password\" on %s", driver.getCurrentUrl()).isNotNull();
        assertThat(passwordField.getAttribute("type")).isEqualTo("password");
        assertThat(button("Sign in")).as("a \"Sign in\" button on the login page").isNotNull();
        screenshot(screenshot);

        // A wrong password: the login page again, with an error.
        type(identifierField, identifier);
        type(passwordField, password + "-wrong");
        button("Sign in").click();
        WebElement error = waitUntil("the login error", d -> d.findElements(By.cssSelector(".error")).stream()
                .filter(e -> e.getText().toLowerCase(Locale.ROOT).contains("incorrect")).findFirst().orElse(null));
        assertThat(error.getText()).containsIgnoringCase("incorrect").containsIgnoringCase("password");
        assertThat(onServer(server)).isTrue();
        screenshot(screenshot.replace(".png", "-error.png"));

        // The right password: the consent page.
        type(fieldLabelled(identifierLabel), identifier);
        type(fieldLabelled("Password"), password);
        button("Sign in").click();
        WebElement allow = waitUntil("the consent page's Allow button", d -> button("Allow"));
        assertThat(button("Deny")).as("a Deny button on the consent page").isNotNull();
        String consent = driver.findElement(By.tagName("body")).getText();
        assertThat(consent).contains(CLIENT_NAME).contains("core.aiservices.read").contains("core.aiservices.write")
                .contains("Read AI services").contains("Use AI services");
        screenshot(screenshot.replace("-login.png", "-consent.png"));
        allow.click();
        waitUntil("the SPA after the redirect", d -> d.getCurrentUrl().startsWith(site.origin() + "/"));
    }

    /** Signs out in the SPA, which sends the browser to the server's logout page; the user confirms there. */
    private void signOut(TestServer server, String screenshot) throws IOException {
        driver.findElement(By.id("sign-out")).click();
        WebElement confirm = waitUntil("the server's sign-out confirmation", d -> onServer(server) ? button("Sign out") : null);
        screenshot(screenshot);
        confirm.click();
        waitUntil("the SPA after sign-out", d -> d.getCurrentUrl().startsWith(site.origin() + "/")
                && "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready"))
                && d.findElement(By.id("status")).getText().equals("Signed out"));
        assertThat(driver.findElement(By.id("sign-in")).isDisplayed()).isTrue();
        assertThat(claimsText()).isEqualTo("(none)");
    }

    private void openSpa(String serverBase) {
        driver.get(site.origin() + "/?server=" + serverBase);
        waitForReady();
    }

    /** Waits for the status element to start with the text; fails at once, with the SPA's own message, on an error status. */
    private JsonNode claimsAfter(String statusPrefix) throws IOException {
        String status = waitUntil("status \"" + statusPrefix + "\"", d -> {
            if (!"true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready"))) {
                return null;
            }
            WebElement element = d.findElement(By.id("status"));
            String text = element.getText();
            if (text.startsWith(statusPrefix) || String.valueOf(element.getAttribute("class")).contains("error")) {
                return text;
            }
            return null;
        });
        assertThat(status).as("the SPA's status").startsWith(statusPrefix);
        return new ObjectMapper().readTree(claimsText());
    }

    private String claimsText() {
        return driver.findElement(By.id("claims")).getText();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String contentType, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
