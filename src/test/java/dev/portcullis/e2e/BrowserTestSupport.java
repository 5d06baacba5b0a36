package dev.portcullis.e2e;

import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.fail;

/**
 * What the browser tests of examples/spa share: Debian's headless Chromium driven by Selenium through
 * /usr/bin/chromedriver (one browser with a fresh profile per test), the SPA folder served on 127.0.0.1:5173
 * (the port of its registered redirect URIs) for the whole class, and helpers to find the server's form
 * fields and buttons, wait with a readable failure, and take screenshots into target/e2e-screenshots.
 *
 * A subclass calls {@link #serveSpa} from its own {@code @BeforeAll} with the node_modules packages it needs;
 * the class is skipped, saying why, when Chromium, chromedriver or one of those packages is missing.
 */
abstract class BrowserTestSupport {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path PROJECT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    static final Path SPA = PROJECT.resolve("examples/spa");
    static final Path SCREENSHOTS = PROJECT.resolve("target/e2e-screenshots");
    /** The port of the SPA's registered redirect URIs (http://127.0.0.1:5173/, .../openid.html, and the same on localhost). */
    static final int SPA_PORT = 5173;

    static final String TENANT = "TMPRODB88619984";
    static final String CLIENT_ID = "b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f";
    static final String CLIENT_NAME = "APIs Trial (demo SPA)";
    static final Duration WAIT = Duration.ofSeconds(20);

    /** Selenium's "no CDP implementation for this Chromium" warnings: these tests use WebDriver only. Held against GC. */
    static final Logger CDP_WARNINGS = Logger.getLogger("org.openqa.selenium.devtools");
    static final Logger CHROMIUM_WARNINGS = Logger.getLogger("org.openqa.selenium.chromium");

    static StaticSite site;
    Path profile;
    WebDriver driver;

    /** Skips the calling class unless Chromium, chromedriver and these examples/spa/node_modules packages are there; then serves examples/spa. */
    static void serveSpa(String testClass, String... nodeModules) throws IOException {
        requireBrowser(testClass, nodeModules);
        site = StaticSite.serve(SPA, SPA_PORT);
    }

    /** Skips the calling class, saying why, unless Chromium, chromedriver and these examples/spa/node_modules packages are there. */
    static void requireBrowser(String testClass, String... nodeModules) {
        String missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM + " is missing"
                : !Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER + " is missing"
                : null;
        for (String module : nodeModules) {
            if (missing == null && !Files.isDirectory(SPA.resolve("node_modules").resolve(module))) {
                missing = SPA.resolve("node_modules").resolve(module) + " is missing";
            }
        }
        if (missing != null) {
            String reason = testClass + " skipped: " + missing + "; run scripts/install-test-deps first";
            System.err.println(reason);
            dev.portcullis.testing.TestDependencies.missing(reason);
        }
        CDP_WARNINGS.setLevel(Level.SEVERE);
        CHROMIUM_WARNINGS.setLevel(Level.SEVERE);
    }

    @AfterAll
    static void stopSite() {
        if (site != null) {
            site.close();
            site = null;
        }
    }

    /** Log types the browser keeps beyond its console ({@link LogType#PERFORMANCE} records the network). */
    List<String> extraLogTypes() {
        return List.of();
    }

    @BeforeEach
    void startBrowser() throws IOException {
        profile = Files.createTempDirectory("portcullis-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1200,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        extraLogTypes().forEach(type -> logs.enable(type, Level.ALL));
        options.setCapability("goog:loggingPrefs", logs);
        // The driver executable is given, so Selenium Manager never runs (it would try to download one);
        // quitting the driver stops this service, hence one per test.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT);
    }

    @AfterEach
    void stopBrowser(TestInfo test) throws IOException {
        if (driver != null) {
            printBrowserConsole(test.getDisplayName());
            driver.quit();
        }
        deleteRecursively(profile);
    }

    /** Waits for a page of the SPA to finish starting (it sets body[data-ready]). */
    void waitForReady() {
        waitUntil("the SPA to start", d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    }

    boolean onServer(TestServer server) {
        return driver.getCurrentUrl().startsWith(server.baseUrl() + "/");
    }

    /** Waits for the server's login page (a form, on the server). */
    void waitForLoginPage(TestServer server, String what) {
        waitUntil(what, d -> onServer(server) && !d.findElements(By.tagName("form")).isEmpty() && fieldLabelled("Password") != null);
    }

    /** The input a <label for> with exactly this text points at; failing that, the input named after it. */
    WebElement fieldLabelled(String label) {
        for (WebElement element : driver.findElements(By.tagName("label"))) {
            String forId = element.getAttribute("for");
            if (element.getText().trim().equals(label) && forId != null && !forId.isEmpty()) {
                List<WebElement> inputs = driver.findElements(By.id(forId));
                if (!inputs.isEmpty()) {
                    return inputs.get(0);
                }
            }
        }
        List<WebElement> named = driver.findElements(By.name(label.toLowerCase(Locale.ROOT)));
        return named.isEmpty() ? null : named.get(0);
    }

    /** A <button> or submit <input> showing exactly this text, or null. */
    WebElement button(String text) {
        for (WebElement element : driver.findElements(By.cssSelector("button, input[type=submit]"))) {
            String shown = element.getTagName().equals("input") ? element.getAttribute("value") : element.getText();
            if (shown != null && shown.trim().equals(text)) {
                return element;
            }
        }
        return null;
    }

    static void type(WebElement field, String text) {
        field.clear();
        field.sendKeys(text);
    }

    <T> T waitUntil(String what, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition::apply);
        } catch (TimeoutException e) {
            String body;
            try {
                body = driver.findElement(By.tagName("body")).getText();
            } catch (RuntimeException unreadable) {
                body = "(unreadable: " + unreadable + ")";
            }
            try {
                screenshot("timeout.png");
            } catch (IOException | RuntimeException ignored) {
                // the failure message below says enough
            }
            return fail("timed out after %s waiting for %s; the browser is at %s showing:%n%s",
                    WAIT, what, driver.getCurrentUrl(), body);
        }
    }

    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private void printBrowserConsole(String test) {
        try {
            List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
            if (!entries.isEmpty()) {
                System.out.println("Browser console during " + test + ":");
                entries.forEach(entry -> System.out.println("  " + entry.getLevel() + " " + entry.getMessage()));
            }
        } catch (RuntimeException e) {
            System.out.println("Browser console unavailable: " + e);
        }
    }

    static Map<String, String> queryOf(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return query;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            query.put(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                    equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
