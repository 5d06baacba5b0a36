package dev.portcullis.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.console.ConsoleTenants;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client applications in the web console (issue 11), in Debian's headless Chromium against the real server: a
 * Partition Administrator signs in through the tenant's own login page, registers applications page by page as in
 * eGain's console, and gets a token with the request the Metadata view gives.
 */
class ConsoleBrowserTest extends ConsoleBrowserSupport {

    private static final Pattern CURL_URL = Pattern.compile("--request POST '([^']+)'");
    private static final Pattern CURL_PARAMETER = Pattern.compile("--data-urlencode '([^=']+)=([^']*)'");

    @Test
    void aPartitionAdministratorRegistersAWebApplicationWhoseOnBehalfOfRequestGetsAToken() throws Exception {
        signIn(ConsoleTenants.ACME, "pa", ConsoleTenants.PA_PASSWORD);
        assertThat(text("#signed-in-user")).isEqualTo("pa");
        waitForView("clients");

        click(By.id("add-client"));
        waitForView("clients");
        type(fieldLabelled("Name"), "Knowledge portal");
        type(fieldLabelled("Description"), "Reads articles for agents");
        assertThat(new Select(fieldLabelled("Platform")).getOptions()).extracting(WebElement::getText)
                .containsExactly("Web", "Single Page Application", "Public Client/Native");
        assertThat(new Select(fieldLabelled("Platform")).getFirstSelectedOption().getText()).isEqualTo("Web");
        fieldLabelled("Redirect URL").sendKeys("https://portal.example.com/callback", Keys.ENTER);
        assertThat(chips()).containsExactly("https://portal.example.com/callback");
        WebElement ttl = driver.findElement(By.cssSelector("[data-field=access_token_ttl]"));
        assertThat(ttl.isDisplayed()).as("Access Token Expiry Time before Token Exchange is ticked").isFalse();
        fieldLabelled("Token Exchange Grant Type").click();
        assertThat(ttl.isDisplayed()).isTrue();
        assertThat(ttl.getAttribute("value")).isEqualTo("60");
        fieldLabelled("Token Exchange Grant Type").click();
        assertThat(ttl.isDisplayed()).isFalse();
        button("Save").click();

        WebElement clientIdField = waitUntil("the Client ID after the first save", d -> fieldLabelled("Client ID"));
        String clientId = clientIdField.getAttribute("value");
        assertThat(clientId).matches("[0-9a-f-]{36}");
        assertThat(namedButton("Copy Client ID")).isNotNull();
        assertThat(chips()).containsExactly("https://portal.example.com/callback");
        fullScreenshot("console-general.png");

        // Secrets: Name and Expiry Date; the value is shown once
        tab("Secrets");
        click(By.id("add-secret"));
        type(fieldLabelled("Name"), "portal-server");
        fieldLabelled("Expiry Date").sendKeys("12312099");
        button("Add secret").click();
        WebElement value = waitUntil("the new secret's value", d -> fieldLabelled("Secret value"));
        String secret = value.getAttribute("value");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
        assertThat(text("#secret-warning")).contains("shown only this once");
        assertThat(namedButton("Copy the secret value")).isNotNull();
        waitUntil("the secret in the list", d -> text("#secret-list").contains("portal-server"));
        assertThat(text("#secret-list")).contains("2099");
        fullScreenshot("console-secrets.png");
        button("Done").click();
        assertThat(driver.getPageSource()).doesNotContain(secret);
        tab("Permissions");
        tab("Secrets");
        assertThat(driver.getPageSource()).doesNotContain(secret);

        // Permissions: the on-behalf-of scope
        tab("Permissions");
        assertThat(text("fieldset[data-kind=application] legend")).isEqualTo("Application");
        assertThat(text("fieldset[data-kind=delegated] legend")).isEqualTo("Delegated");
        assertThat(text("fieldset[data-kind=on-behalf-of] legend")).isEqualTo("On-behalf-of");
        assertThat(text("fieldset[data-kind=on-behalf-of]")).contains("Read portal content on behalf of a user");
        fieldLabelled(ConsoleTenants.OBO_SCOPE).click();
        button("Save").click();
        waitUntil("the permissions saved", d -> text("#permissions-form .notice").startsWith("Saved"));
        fullScreenshot("console-permissions.png");

        // Metadata: copy the Access Token URL
        click(By.id("metadata-button"));
        WebElement tokenUrlField = waitUntil("the Metadata view", d -> fieldLabelled("Access Token URL"));
        String tokenUrl = tokenUrlField.getAttribute("value");
        assertThat(tokenUrl).isEqualTo(server.baseUrl() + "/system/auth/ACME-U/oauth2/token");
        assertThat(fieldLabelled("Domain URL").getAttribute("value")).isEqualTo("https://api.example.test");
        assertThat(fieldLabelled("Metadata URL").getAttribute("value")).endsWith("/core/authmgr/v3/metadata/tenant/ACME");
        assertThat(fieldLabelled("Authorization URL")).as("no sign-in for a web app without delegated scopes").isNull();
        namedButton("Copy Access Token URL").click();
        waitUntil("the copy confirmation", d -> namedButton("Copy Access Token URL").findElement(By.xpath("following-sibling::*[1]"))
                .getText().equals("Copied"));
        assertThat(clipboard()).isEqualTo(tokenUrl);
        assertThat(driver.findElements(By.cssSelector("#metadata-dialog [data-flow]"))).extracting(e -> e.getAttribute("data-flow"))
                .containsExactly("on-behalf-of");
        String curl = text("#curl-on-behalf-of");
        fullScreenshot("console-metadata.png");

        // the seed's On-Behalf-Of request, with the values the console gave
        assertThat(curlUrl(curl)).isEqualTo(tokenUrl);
        Map<String, String> form = curlForm(curl);
        assertThat(form).containsEntry("grant_type", "password").containsEntry("client_id", clientId)
                .containsEntry("scope", ConsoleTenants.OBO_SCOPE).containsEntry("subject_username", "pa")
                .containsEntry("client_secret", "YOUR_CLIENT_SECRET");
        form.put("client_secret", secret);
        SignedJWT token = assertToken(server.postForm(URI.create(tokenUrl).getPath(), form));
        assertThat(token.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(token.getJWTClaimsSet().getStringClaim("actor_type")).isEqualTo("client_on_behalf_of_user");

        button("Close").click();
        assertThat(focused().getAttribute("id")).as("focus back on the Metadata button").isEqualTo("metadata-button");
        driver.findElement(By.linkText("← Client applications")).click();
        waitForView("clients");
        assertThat(driver.findElements(By.cssSelector("main thead th"))).extracting(WebElement::getText)
                .startsWith("Name", "Platform", "Client ID", "Enabled");
        assertThat(text("main table")).contains("Knowledge portal").contains("Web").contains(clientId).contains("Yes");
        screenshot("console-list.png");
        assertNoPolicyViolationOrForeignRequest();
    }

    @Test
    void aSinglePageApplicationTakesTwoRedirectUrlsAndNoSecretAndItsPermissionsSayWhatItCannotUse() throws Exception {
        signIn(ConsoleTenants.ACME, "pa", ConsoleTenants.PA_PASSWORD);
        click(By.id("add-client"));
        waitForView("clients");
        type(fieldLabelled("Name"), "Agent desktop");
        new Select(fieldLabelled("Platform")).selectByVisibleText("Single Page Application");
        assertThat(fieldLabelled("Token Exchange Grant Type").isEnabled()).isFalse();
        WebElement redirect = fieldLabelled("Redirect URL");
        redirect.sendKeys("https://desk.example.com/", Keys.ENTER);
        redirect.sendKeys("https://desk.example.com/popup", Keys.ENTER);
        redirect.sendKeys("https://wrong.example.com/", Keys.ENTER);
        assertThat(chips()).containsExactly("https://desk.example.com/", "https://desk.example.com/popup", "https://wrong.example.com/");
        namedButton("Remove https://wrong.example.com/").click();
        assertThat(focused().getAttribute("id")).isEqualTo(redirect.getAttribute("id"));
        // the API's refusal names its field: it appears next to the Redirect URL, which gets the focus
        redirect.sendKeys("http://plain.example.com/", Keys.ENTER);
        button("Save").click();
        WebElement refusal = waitUntil("the refusal next to Redirect URL", d -> {
            String errorId = redirect.getAttribute("data-error-id");
            WebElement error = d.findElement(By.id(errorId));
            return error.isDisplayed() ? error : null;
        });
        assertThat(refusal.getText()).contains("http://plain.example.com/").contains("must use https");
        assertThat(redirect.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(redirect.getAttribute("aria-describedby")).contains(refusal.getAttribute("id"));
        assertThat(focused().getAttribute("id")).isEqualTo(redirect.getAttribute("id"));
        namedButton("Remove http://plain.example.com/").click();
        button("Save").click();
        String clientId = waitUntil("the Client ID", d -> fieldLabelled("Client ID")).getAttribute("value");

        driver.navigate().refresh();
        waitForView("clients");
        assertThat(chips()).containsExactly("https://desk.example.com/", "https://desk.example.com/popup");
        JsonNode stored = automation("GET", "/tenants/ACME/clients/" + clientId, null);
        assertThat(stored.path("platform").asText()).isEqualTo("spa");
        assertThat(stored.path("redirect_uris")).hasSize(2);

        tab("Secrets");
        assertThat(text("#no-secrets")).contains("Single Page Application application has no secrets");
        assertThat(driver.findElements(By.id("add-secret"))).isEmpty();

        tab("Permissions");
        assertThat(text("[data-reason=application]")).contains("cannot use application scopes").contains("client secret");
        assertThat(text("[data-reason=on-behalf-of]")).contains("cannot use on-behalf-of scopes");
        assertThat(fieldLabelled(ConsoleTenants.OBO_SCOPE).isEnabled()).isFalse();
        fieldLabelled("core.aiservices.read").click();
        button("Save").click();
        waitUntil("the permissions saved", d -> text("#permissions-form .notice").startsWith("Saved"));

        click(By.id("metadata-button"));
        waitUntil("the Metadata view", d -> fieldLabelled("Authorization URL"));
        assertThat(driver.findElements(By.cssSelector("#metadata-dialog [data-flow]"))).extracting(e -> e.getAttribute("data-flow"))
                .containsExactly("authorization-code");
        assertThat(text("#curl-authorization-code")).contains("code_verifier=CODE_VERIFIER").doesNotContain("client_secret");
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        waitUntil("the dialog closed", d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
        assertNoPolicyViolationOrForeignRequest();
    }

    @Test
    void atTwoSecretsAddIsDisabledAndSaysWhyAndTheApiRefusesAThird() throws Exception {
        String clientId = automation("POST", "/tenants/ACME/clients", "{ \"name\": \"Nightly sync\", \"platform\": \"web\" }")
                .path("client_id").asText();
        automation("POST", "/tenants/ACME/clients/" + clientId + "/secrets", "{ \"name\": \"first\" }");
        signIn(ConsoleTenants.ACME, "pa", ConsoleTenants.PA_PASSWORD);
        open("/t/ACME/clients/" + clientId + "/secrets", "clients");

        click(By.id("add-secret"));
        button("Add secret").click();
        waitUntil("the second secret", d -> fieldLabelled("Secret value"));
        WebElement add = waitUntil("Add disabled at two secrets", d -> {
            WebElement button = d.findElement(By.id("add-secret"));
            return button.isEnabled() ? null : button;
        });
        String reason = driver.findElement(By.id(add.getAttribute("aria-describedby"))).getText();
        assertThat(reason).contains("at most 2 secrets").contains("Remove one");

        HttpResponse<String> third = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/api/v1/tenants/ACME/clients/"
                        + clientId + "/secrets")).header("Authorization", "Bearer " + ConsoleTenants.automationToken(server))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(third.statusCode()).isEqualTo(409);
        assertThat(third.body()).contains("already has 2 secrets");

        // removing one (confirmed) enables Add again
        namedButton("Remove secret first").click();
        button("Remove secret").click();
        waitUntil("Add enabled again", d -> d.findElement(By.id("add-secret")).isEnabled());
        assertThat(text("#secret-list")).doesNotContain("first").contains("primary");
        assertNoPolicyViolationOrForeignRequest();
    }

    /** What the page copied, read back from the clipboard by pasting it into a scratch field. */
    private String clipboard() {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        WebElement scratch = (WebElement) js.executeScript("const t = document.createElement('textarea');"
                + "t.id = 'clipboard-probe'; document.querySelector('dialog[open]').append(t); return t;");
        scratch.click();
        new Actions(driver).keyDown(Keys.CONTROL).sendKeys("v").keyUp(Keys.CONTROL).perform();
        String pasted = scratch.getAttribute("value");
        js.executeScript("document.getElementById('clipboard-probe').remove()");
        return pasted;
    }

    private static String curlUrl(String curl) {
        Matcher url = CURL_URL.matcher(curl);
        assertThat(url.find()).as("a URL in %s", curl).isTrue();
        return url.group(1);
    }

    private static Map<String, String> curlForm(String curl) {
        Map<String, String> form = new LinkedHashMap<>();
        Matcher parameter = CURL_PARAMETER.matcher(curl);
        while (parameter.find()) {
            form.put(parameter.group(1), parameter.group(2));
        }
        return form;
    }
}
