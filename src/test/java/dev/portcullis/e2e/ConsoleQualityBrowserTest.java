package dev.portcullis.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.console.ConsoleTenants;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console as a product: an application created with the keyboard alone, focus always visible, every control
 * labelled, every page usable at 390 and 1280 pixels wide, and all of it under the strict Content-Security-Policy
 * with no violation and no request to another origin.
 */
class ConsoleQualityBrowserTest extends ConsoleBrowserSupport {

    private static final List<String> PAGES = List.of("clients", "users", "customers", "scopes", "identity-providers", "keys", "audit");

    @Test
    void anApplicationIsCreatedWithTheKeyboardAlone() throws Exception {
        driver.manage().window().setSize(new Dimension(1280, 900));
        driver.get(server.baseUrl() + "/admin/?tenant=ACME");
        waitForLoginPage(server, "the realm's login page");
        tabTo("the Username field", labelled("Username"));
        keys("pa", Keys.TAB);
        assertThat(labelled("Password").test(focused())).isTrue();
        keys(ConsoleTenants.PA_PASSWORD, Keys.ENTER);
        waitForView("clients");

        WebElement add = tabTo("Add", showing("Add"));
        assertThat(add.getCssValue("outline-style")).as("a visible focus on Add").isEqualTo("solid");
        assertThat(add.getCssValue("outline-width")).isNotEqualTo("0px");
        keys(Keys.ENTER);
        waitUntil("the General page of a new application", d -> text("main h1").equals("Add client application"));

        tabTo("Name", labelled("Name"));
        keys("Keyboard app");
        tabTo("Redirect URL", labelled("Redirect URL"));
        keys("https://keys.example.com/callback", Keys.ENTER, "https://keys.example.com/other", Keys.ENTER);
        assertThat(chips()).containsExactly("https://keys.example.com/callback", "https://keys.example.com/other");
        tabTo("the remove button of the second URL", showing("Remove https://keys.example.com/other"));
        keys(Keys.ENTER);
        assertThat(chips()).containsExactly("https://keys.example.com/callback");
        tabTo("Token Exchange Grant Type", labelled("Token Exchange Grant Type"));
        keys(Keys.SPACE);
        tabTo("Access Token Expiry Time", labelled("Access Token Expiry Time"));
        keys(Keys.chord(Keys.CONTROL, "a"), "30");
        tabTo("Save", showing("Save"));
        keys(Keys.ENTER);

        String clientId = waitUntil("the Client ID", d -> fieldLabelled("Client ID")).getAttribute("value");
        JsonNode stored = automation("GET", "/tenants/ACME/clients/" + clientId, null);
        assertThat(stored.path("name").asText()).isEqualTo("Keyboard app");
        assertThat(stored.path("platform").asText()).isEqualTo("web");
        assertThat(stored.path("token_exchange").asBoolean()).isTrue();
        assertThat(stored.path("access_token_ttl").asInt()).isEqualTo(1800);
        assertThat(stored.path("redirect_uris")).extracting(JsonNode::asText).containsExactly("https://keys.example.com/callback");

        // the Metadata dialog opens and closes from the keyboard too, and gives focus back
        tabTo("Metadata", showing("Metadata"));
        keys(Keys.ENTER);
        waitUntil("the Metadata view", d -> fieldLabelled("Access Token URL"));
        assertThat(driver.findElements(By.cssSelector("#metadata-dialog [data-flow]"))).extracting(e -> e.getAttribute("data-flow"))
                .contains("token-exchange");
        keys(Keys.ESCAPE);
        waitUntil("focus back on Metadata", d -> "metadata-button".equals(focused().getAttribute("id")));
        assertNoPolicyViolationOrForeignRequest();
    }

    @Test
    void everyPageFitsA390PixelWindowAndA1280PixelOneWithEveryControlLabelled() throws Exception {
        String clientId = automation("POST", "/tenants/ACME/clients", "{ \"name\": \"A rather long application name that has to "
                + "wrap on a phone\", \"platform\": \"web\", \"redirect_uris\": [ \"https://a-very-long-host-name.example.com/and/a/"
                + "long/path/to/the/callback\" ] }").path("client_id").asText();
        automation("POST", "/tenants/ACME/clients/" + clientId + "/secrets", "{ \"name\": \"primary\" }");
        signIn(ConsoleTenants.ACME, "pa", ConsoleTenants.PA_PASSWORD);
        for (int width : new int[] {390, 1280}) {
            driver.manage().window().setSize(new Dimension(width, 900));
            for (String page : PAGES) {
                open("/t/ACME/" + page, page);
                assertUsable(page + " at " + width + " px");
            }
            for (String tab : List.of("general", "secrets", "permissions")) {
                open("/t/ACME/clients/" + clientId + "/" + tab, "clients");
                assertUsable(tab + " at " + width + " px");
            }
            open("/t/ACME/clients/new", "clients");
            assertUsable("a new application at " + width + " px");
            open("/t/ACME/clients/" + clientId + "/general", "clients");
            click(By.id("metadata-button"));
            waitUntil("the Metadata view", d -> fieldLabelled("Access Token URL"));
            assertUsable("Metadata at " + width + " px");
            if (width == 390) {
                screenshot("console-metadata-390.png");
            }
            keys(Keys.ESCAPE);
        }
        driver.manage().window().setSize(new Dimension(390, 900));
        open("/t/ACME/clients", "clients");
        screenshot("console-list-390.png");
        assertNoPolicyViolationOrForeignRequest();
    }

    /** Nothing wider than the window, and every visible control with an accessible name. */
    private void assertUsable(String where) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        Number overflow = (Number) js.executeScript("return document.documentElement.scrollWidth - window.innerWidth");
        assertThat(overflow.intValue()).as("horizontal overflow on %s", where).isLessThanOrEqualTo(0);
        @SuppressWarnings("unchecked")
        List<String> unlabelled = (List<String>) js.executeScript("""
                const visible = (e) => e.offsetParent !== null || e.closest('dialog[open]');
                return [...document.querySelectorAll('input, select, textarea, button, a[href]')]
                  .filter(visible)
                  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
                  .map((e) => e.outerHTML.slice(0, 120));""");
        assertThat(unlabelled).as("controls without a label on %s", where).isEmpty();
    }

    private void keys(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }
}
