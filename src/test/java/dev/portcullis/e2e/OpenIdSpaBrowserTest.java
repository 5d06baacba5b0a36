package dev.portcullis.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo SPA's OpenID page (examples/spa/openid.html), which signs in with the npm library oidc-client-ts,
 * in Debian's headless Chromium against the real server with the demo tenant: an OpenID sign-in (PKCE, nonce,
 * login, consent), the ID token verified in the page (its signature by jose against the realm's JWKS, its nonce
 * and the userinfo sub by oidc-client-ts), a renewal with the refresh token, and RP-Initiated Logout with the
 * id_token_hint, which ends the server session without the confirmation page.
 *
 * Needs /usr/bin/chromium, /usr/bin/chromedriver and examples/spa/node_modules with oidc-client-ts
 * (scripts/install-test-deps installs them); skipped, saying why, when one is missing.
 */
class OpenIdSpaBrowserTest extends BrowserTestSupport {

    static final String ISSUER_PATH = "/system/auth/" + TENANT + "-U";
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startSite() throws IOException {
        serveSpa("OpenIdSpaBrowserTest", "oidc-client-ts", "jwt-decode", "jose");
    }

    /** Chromium's network events, to see the authorization request and the end-session redirect the page caused. */
    @Override
    List<String> extraLogTypes() {
        return List.of(LogType.PERFORMANCE);
    }

    @Test
    void signsInWithAVerifiedIdTokenRenewsAndSignsOutThroughTheEndSessionEndpoint() throws Exception {
        String demoTenants = Files.readString(PROJECT.resolve("examples/demo-tenants.yaml"));
        try (TestServer server = TestServer.start(StoreKind.SQLITE, demoTenants)) {
            String issuer = server.baseUrl() + ISSUER_PATH;
            String page = site.origin() + "/openid.html";
            driver.get(page + "?server=" + server.baseUrl());
            waitForReady();
            networkEvents(); // drop what the page load logged

            // Sign in: oidc-client-ts discovers the endpoints and sends the browser to the authorization endpoint.
            driver.findElement(By.id("realm-user")).click();
            driver.findElement(By.id("sign-in")).click();
            waitForLoginPage(server, "the server's login page");
            Map<String, String> authorize = queryOf(requestsTo(networkEvents(), issuer + "/oauth2/authorize?").get(0));
            assertThat(authorize).containsEntry("client_id", CLIENT_ID)
                    .containsEntry("response_type", "code")
                    .containsEntry("redirect_uri", page)
                    .containsEntry("scope", "openid profile email core.aiservices.read")
                    .containsEntry("code_challenge_method", "S256")
                    .containsKeys("state", "code_challenge", "nonce");
            screenshot("openid-login.png");

            type(fieldLabelled("Username"), "pa");
            type(fieldLabelled("Password"), "demo-password-pa");
            button("Sign in").click();
            WebElement allow = waitUntil("the consent page's Allow button", d -> button("Allow"));
            assertThat(driver.findElement(By.tagName("body")).getText()).contains(CLIENT_NAME)
                    .contains("Sign you in with your account").contains("Know your username").contains("Know your email address");
            screenshot("openid-consent.png");
            allow.click();

            // Back on the page: code exchanged, ID token verified, userinfo merged into the profile.
            statusAfter("Signed in: ID token verified");
            assertThat(driver.getCurrentUrl()).as("the code is gone from the address bar").isEqualTo(page);
            assertThat(driver.findElement(By.id("subject")).getText()).isEqualTo("pa (sub 1001)");
            assertThat(driver.findElement(By.id("id-token-verified")).getText())
                    .startsWith("ID token verified: RS256 signature against the realm's JWKS");
            JsonNode idClaims = JSON.readTree(driver.findElement(By.id("id-claims")).getText());
            assertThat(idClaims.get("iss").asText()).isEqualTo(issuer);
            assertThat(idClaims.get("aud").isArray() ? idClaims.get("aud").get(0).asText() : idClaims.get("aud").asText())
                    .isEqualTo(CLIENT_ID);
            assertThat(idClaims.get("sub").asText()).isEqualTo("1001");
            assertThat(idClaims.get("nonce").asText()).isEqualTo(authorize.get("nonce"));
            JsonNode profile = JSON.readTree(driver.findElement(By.id("profile")).getText());
            assertThat(profile.get("sub").asText()).isEqualTo("1001");
            assertThat(profile.get("preferred_username").asText()).isEqualTo("pa");
            assertThat(profile.get("email").asText()).isEqualTo("pa@example.com");
            assertThat(requestsTo(networkEvents(), issuer + "/oauth2/userinfo")).as("oidc-client-ts called userinfo").isNotEmpty();
            JsonNode signedIn = storedUser(issuer);
            assertThat(signedIn.get("refresh_token").asText()).isNotEmpty();
            assertThat(driver.findElement(By.id("access-token-id")).getText())
                    .isEqualTo(claimsOf(signedIn.get("access_token").asText()).get("jti").asText());
            screenshot("openid-signed-in.png");

            // Renew: a refresh_token grant; new access token, rotated refresh token, new ID token for the same sign-in.
            driver.findElement(By.id("renew")).click();
            statusAfter("Renewed: ID token verified");
            JsonNode renewed = storedUser(issuer);
            assertThat(renewed.get("access_token").asText()).isNotEqualTo(signedIn.get("access_token").asText());
            assertThat(renewed.get("refresh_token").asText()).isNotEqualTo(signedIn.get("refresh_token").asText());
            assertThat(renewed.get("id_token").asText()).isNotEqualTo(signedIn.get("id_token").asText());
            assertThat(driver.findElement(By.id("access-token-id")).getText())
                    .isEqualTo(claimsOf(renewed.get("access_token").asText()).get("jti").asText())
                    .isNotEqualTo(claimsOf(signedIn.get("access_token").asText()).get("jti").asText());
            JsonNode renewedIdClaims = JSON.readTree(driver.findElement(By.id("id-claims")).getText());
            assertThat(renewedIdClaims.get("sub").asText()).isEqualTo("1001");
            assertThat(renewedIdClaims.get("auth_time").asLong()).isEqualTo(idClaims.get("auth_time").asLong());
            assertThat(requestsTo(networkEvents(), issuer + "/oauth2/token")).as("the renewal's token request").isNotEmpty();
            screenshot("openid-renewed.png");

            // The page really checks the signature: an ID token with a forged signature is refused on reload.
            String userKey = "oidc.user:" + issuer + ":" + CLIENT_ID;
            String stored = (String) js().executeScript("return sessionStorage.getItem(arguments[0])", userKey);
            String idToken = renewed.get("id_token").asText();
            String forged = idToken.substring(0, idToken.lastIndexOf('.') + 1) + "A".repeat(idToken.length() - idToken.lastIndexOf('.') - 1);
            js().executeScript("sessionStorage.setItem(arguments[0], arguments[1])", userKey, stored.replace(idToken, forged));
            driver.navigate().refresh();
            String refused = statusAfter("Stored sign-in rejected");
            assertThat(refused).containsIgnoringCase("signature");
            js().executeScript("sessionStorage.setItem(arguments[0], arguments[1])", userKey, stored);
            driver.navigate().refresh();
            statusAfter("Signed in: ID token verified");
            networkEvents();

            // Sign out: end_session_endpoint with the id_token_hint redirects straight back, no confirmation page.
            driver.findElement(By.id("sign-out")).click();
            waitUntil("the page after sign-out", d -> d.getCurrentUrl().equals(page)
                    && "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready"))
                    && !d.findElement(By.id("status")).getText().equals("Signed in: ID token verified"));
            assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("Signed out");
            List<JsonNode> events = networkEvents();
            URI logout = requestsTo(events, issuer + "/logout?").get(0);
            Map<String, String> logoutQuery = queryOf(logout);
            assertThat(logoutQuery).containsEntry("id_token_hint", idToken)
                    .containsEntry("post_logout_redirect_uri", page)
                    .containsKey("state");
            JsonNode redirect = redirectFrom(events, logout.toString());
            assertThat(redirect).as("the end-session endpoint's response to %s", logout).isNotNull();
            assertThat(redirect.at("/params/redirectResponse/status").asInt()).isEqualTo(302);
            assertThat(redirect.at("/params/request/url").asText()).isEqualTo(page + "?state=" + logoutQuery.get("state"));
            assertThat(js().executeScript("return sessionStorage.getItem(arguments[0])", userKey)).as("the stored user").isNull();
            assertThat(driver.findElement(By.id("sign-in")).isDisplayed()).isTrue();
            screenshot("openid-signed-out.png");

            // The server's session ended: signing in again shows the login page, not straight the consent or the page.
            driver.findElement(By.id("sign-in")).click();
            waitForLoginPage(server, "the login page after sign-out");
            assertThat(fieldLabelled("Username")).isNotNull();
        }
    }

    /** Waits for the page's status to start with the text; fails at once, with the page's own message, on an error status. */
    private String statusAfter(String statusPrefix) {
        String status = waitUntil("status \"" + statusPrefix + "\"", d -> {
            if (!"true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready"))) {
                return null;
            }
            WebElement element = d.findElement(By.id("status"));
            String text = element.getText();
            boolean error = String.valueOf(element.getAttribute("class")).contains("error");
            return text.startsWith(statusPrefix) || error ? text : null;
        });
        assertThat(status).as("the page's status").startsWith(statusPrefix);
        return status;
    }

    private JavascriptExecutor js() {
        return (JavascriptExecutor) driver;
    }

    /** The user oidc-client-ts keeps in sessionStorage (userStore) for this authority and client. */
    private JsonNode storedUser(String issuer) throws IOException {
        Object stored = js().executeScript("return sessionStorage.getItem(arguments[0])", "oidc.user:" + issuer + ":" + CLIENT_ID);
        assertThat(stored).as("the user oidc-client-ts stored").isNotNull();
        return JSON.readTree((String) stored);
    }

    private static JsonNode claimsOf(String jwt) throws IOException {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    /** The Network.* events Chromium logged since the last call (reading the performance log drains it). */
    private List<JsonNode> networkEvents() throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            JsonNode message = JSON.readTree(entry.getMessage()).get("message");
            if (message != null && message.path("method").asText().startsWith("Network.")) {
                events.add(message);
            }
        }
        return events;
    }

    /** The URLs of the requests the browser sent that start with the prefix, oldest first. */
    private static List<URI> requestsTo(List<JsonNode> events, String prefix) {
        List<URI> requests = new ArrayList<>();
        for (JsonNode event : events) {
            String url = event.at("/params/request/url").asText();
            if (event.path("method").asText().equals("Network.requestWillBeSent") && url.startsWith(prefix)) {
                requests.add(URI.create(url));
            }
        }
        assertThat(requests).as("requests to %s", prefix).isNotEmpty();
        return requests;
    }

    /** The request the browser followed a redirect from this URL with (its redirectResponse is that URL's response). */
    private static JsonNode redirectFrom(List<JsonNode> events, String url) {
        for (JsonNode event : events) {
            if (event.path("method").asText().equals("Network.requestWillBeSent")
                    && event.at("/params/redirectResponse/url").asText().equals(url)) {
                return event;
            }
        }
        return null;
    }
}
