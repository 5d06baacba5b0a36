package dev.portcullis.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.console.ConsoleTenants;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the console's browser tests share: the server with {@link ConsoleTenants} for the class, signing in through the
 * realm's login page, finding the console's controls by label or accessible name, and the page-wide checks (no policy
 * violation, no script error, no request to another origin).
 */
abstract class ConsoleBrowserSupport extends BrowserTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;

    @BeforeAll
    static void startServer() {
        requireBrowser("The console's browser tests");
        server = TestServer.start(StoreKind.SQLITE, ConsoleTenants.YAML);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    List<String> extraLogTypes() {
        return List.of(LogType.PERFORMANCE);
    }

    /** Opens /admin/?tenant=..., signs in on the realm's login page, and waits for the console. */
    void signIn(String tenant, String username, String password) {
        driver.manage().window().setSize(new Dimension(1280, 900));
        driver.get(server.baseUrl() + "/admin/?tenant=" + tenant);
        waitForLoginPage(server, "the realm's login page");
        type(fieldLabelled("Username"), username);
        type(fieldLabelled("Password"), password);
        button("Sign in").click();
        waitForPage();
    }

    void waitForPage() {
        waitUntil("a console page", d -> d.getCurrentUrl().startsWith(server.baseUrl() + "/admin/")
                && !d.findElements(By.cssSelector("main .page[data-ready=true]")).isEmpty());
    }

    void waitForView(String view) {
        waitUntil("the console view " + view, d -> view.equals(d.findElement(By.id("main")).getAttribute("data-view"))
                && !d.findElements(By.cssSelector("main .page[data-ready=true]")).isEmpty());
    }

    /** Goes to a console route (#/t/ACME/users, ...) and waits for its page. */
    void open(String route, String view) {
        driver.get(server.baseUrl() + "/admin/#" + route);
        waitForView(view);
    }

    void click(By by) {
        waitUntil("clickable " + by, d -> d.findElement(by)).click();
    }

    void tab(String label) {
        driver.findElement(By.cssSelector("nav[aria-label='Client application sections']")).findElement(By.linkText(label)).click();
        waitUntil("the " + label + " tab", d -> {
            List<WebElement> current = d.findElements(By.cssSelector(".tabs a[aria-current=page]"));
            return !current.isEmpty() && current.get(0).getText().equals(label)
                    && !d.findElements(By.cssSelector("main .page[data-ready=true]")).isEmpty();
        });
    }

    String text(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    List<String> chips() {
        return driver.findElements(By.cssSelector("#redirect-urls .chip span")).stream().map(WebElement::getText).toList();
    }

    /** A button by its accessible name: its aria-label, else its text; null when there is none. */
    WebElement namedButton(String name) {
        for (WebElement element : driver.findElements(By.tagName("button"))) {
            String label = element.getAttribute("aria-label");
            if (name.equals(label) || (label == null && element.getText().trim().equals(name))) {
                return element;
            }
        }
        return null;
    }

    WebElement focused() {
        return driver.switchTo().activeElement();
    }

    /** Presses Tab (at most 60 times) until the focused element matches; fails when it never does. */
    WebElement tabTo(String what, Predicate<WebElement> target) {
        for (int presses = 0; presses < 60; presses++) {
            WebElement element = focused();
            if (target.test(element)) {
                return element;
            }
            new Actions(driver).sendKeys(Keys.TAB).perform();
        }
        throw new AssertionError("Tab never reached " + what + "; focus is on " + describe(focused()));
    }

    static Predicate<WebElement> labelled(String label) {
        return element -> {
            String id = element.getAttribute("id");
            return id != null && !id.isEmpty() && element.findElements(By.xpath("//label[@for='" + id + "' and normalize-space()='"
                    + label + "']")).size() == 1;
        };
    }

    static Predicate<WebElement> showing(String text) {
        return element -> text.equals(element.getText().trim()) || text.equals(element.getAttribute("aria-label"));
    }

    static String describe(WebElement element) {
        return "<" + element.getTagName() + " id=" + element.getAttribute("id") + "> " + element.getText();
    }

    void scrollToTop() {
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0); document.querySelectorAll('dialog[open]')"
                + ".forEach(d => d.scrollTop = 0); document.activeElement && document.activeElement.blur();");
    }

    /** A screenshot of the whole page (or open dialog), in a window made tall enough for it, then the window as it was. */
    void fullScreenshot(String name) throws IOException {
        Dimension before = driver.manage().window().getSize();
        Number content = (Number) ((JavascriptExecutor) driver).executeScript("const d = document.querySelector('dialog[open]');"
                + "return Math.max(document.documentElement.scrollHeight, d ? d.scrollHeight + 60 : 0)");
        int chrome = before.height - ((Number) ((JavascriptExecutor) driver).executeScript("return window.innerHeight")).intValue();
        driver.manage().window().setSize(new Dimension(before.width, Math.min(1800, content.intValue() + chrome)));
        scrollToTop();
        screenshot(name);
        driver.manage().window().setSize(before);
    }

    /** The admin API as ACME's automation client, for arranging what a test needs. */
    static JsonNode automation(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/api/v1" + path))
                .header("Authorization", "Bearer " + ConsoleTenants.automationToken(server))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = server.send(request.build());
        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
        try {
            return response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No Content-Security-Policy violation or script error reached the console, and no request left this server. */
    void assertNoPolicyViolationOrForeignRequest() throws IOException {
        List<String> problems = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER).getAll()) {
            String message = entry.getMessage();
            if (message.contains("Content Security Policy") || message.contains("Uncaught") || message.contains("Error:")) {
                problems.add(message);
            }
        }
        assertThat(problems).as("policy violations and script errors in the browser console").isEmpty();
        List<String> foreign = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            JsonNode message = JSON.readTree(entry.getMessage()).path("message");
            if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                String url = message.at("/params/request/url").asText();
                // the browser's own pages (chrome://new-tab-page...) are not the console's requests
                boolean web = url.startsWith("http:") || url.startsWith("https:") || url.startsWith("ws");
                if (web && !url.startsWith(server.baseUrl() + "/")) {
                    foreign.add(url);
                }
            }
        }
        assertThat(foreign).as("requests to other origins").isEmpty();
    }
}
