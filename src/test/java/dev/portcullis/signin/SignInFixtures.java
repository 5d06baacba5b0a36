package dev.portcullis.signin;

import dev.portcullis.grant.Pkce;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenants file and helpers the sign-in tests share: an spa client, a confidential web client,
 * a web client with require_pkce, a consent-skip client, a disabled client, delegated, on-behalf-of
 * and application scopes, users with passwords and a customer with a password.
 */
public final class SignInFixtures {

    public static final String TENANT = "TSIGNIN01";
    public static final String USERS = "/system/auth/" + TENANT + "-U";
    public static final String CUSTOMERS = "/system/auth/" + TENANT + "-C";

    public static final String SPA = "spa-client";
    public static final String SPA_NAME = "APIs Trial SPA";
    public static final String SPA_REDIRECT = "https://oauth.pstmn.io/v1/callback";
    public static final String SPA_LOCAL_REDIRECT = "http://127.0.0.1:5173/";
    public static final String WEB = "web-client";
    public static final String WEB_NAME = "Portal sync web";
    public static final String WEB_SECRET = "web-secret-0123456789abcdefghijklmnopqrst";
    public static final String WEB_REDIRECT = "https://app.example.com/callback";
    public static final String PKCE_WEB = "pkce-web-client";
    public static final String PKCE_WEB_REDIRECT = "https://pkce.example.com/callback";
    public static final String SKIP = "skip-client";
    public static final String SKIP_REDIRECT = "https://skip.example.com/callback";
    public static final String DISABLED = "disabled-client";
    public static final String DISABLED_REDIRECT = "https://disabled.example.com/callback";
    public static final String OTHER_TENANT_SPA_REDIRECT = "https://other-tenant.example.com/callback";

    public static final String READ = "core.aiservices.read";
    public static final String WRITE = "core.aiservices.write";
    public static final String PORTAL_READ = "knowledge.portalmgr.read";
    public static final String UNASSIGNED = "knowledge.unassigned.read";
    public static final String OBO = "knowledge.portalmgr.onbehalfof.read";
    public static final String APP = "app.knowledge.contentmgr.manage";

    public static final String PA_PASSWORD = "password-of-pa-0001";
    public static final String PB_PASSWORD = "password-of-pb-0002";
    public static final String JANE_PASSWORD = "password-of-jane-0003";

    public static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk0123456789";
    public static final String CHALLENGE = Pkce.s256(VERIFIER);

    public static final String YAML = """
            tenants:
              - id: %s
                name: Sign-in test tenant
                scopes:
                  - { name: core.aiservices.read, kind: delegated, description: Read AI services }
                  - { name: core.aiservices.write, kind: delegated, description: Use AI services }
                  - { name: knowledge.portalmgr.read, kind: delegated, description: Read portal content }
                  - { name: knowledge.unassigned.read, kind: delegated, description: Assigned to no client }
                  - { name: knowledge.portalmgr.onbehalfof.read, kind: on-behalf-of, description: Read portal content on behalf of a user }
                  - { name: app.knowledge.contentmgr.manage, kind: application, description: Manage knowledge content as the application }
                users:
                  - { id: "1001", username: pa, email: pa@example.com, password: "%s" }
                  - { id: "1002", username: pb, email: pb@example.com, password: "%s" }
                  - { id: "1003", username: pc, email: pc@example.com, password: "%s" }
                customers:
                  - { id: "c-2001", email: jane@example.com, password: "%s" }
                clients:
                  - client_id: spa-client
                    name: APIs Trial SPA
                    platform: spa
                    scopes: [ core.aiservices.read, core.aiservices.write, knowledge.portalmgr.read ]
                    redirect_uris: [ "https://oauth.pstmn.io/v1/callback", "http://127.0.0.1:5173/" ]
                  - client_id: web-client
                    name: Portal sync web
                    platform: web
                    secrets: [ "%s" ]
                    scopes: [ core.aiservices.read, knowledge.portalmgr.read, knowledge.portalmgr.onbehalfof.read, app.knowledge.contentmgr.manage ]
                    redirect_uris: [ "https://app.example.com/callback" ]
                  - client_id: pkce-web-client
                    name: Careful web app
                    platform: web
                    secrets: [ "pkce-web-secret-0123456789abcdefghijklmno" ]
                    require_pkce: true
                    scopes: [ core.aiservices.read ]
                    redirect_uris: [ "https://pkce.example.com/callback" ]
                  - client_id: skip-client
                    name: First-party console
                    platform: spa
                    consent: skip
                    scopes: [ core.aiservices.read, core.aiservices.write ]
                    redirect_uris: [ "https://skip.example.com/callback" ]
                  - client_id: disabled-client
                    name: Retired app
                    platform: spa
                    enabled: false
                    scopes: [ core.aiservices.read ]
                    redirect_uris: [ "https://disabled.example.com/callback" ]
              - id: TOTHER02
                name: Another tenant
                scopes:
                  - { name: core.aiservices.read, kind: delegated, description: Read AI services }
                clients:
                  - client_id: other-spa
                    name: Other tenant SPA
                    platform: spa
                    scopes: [ core.aiservices.read ]
                    redirect_uris: [ "https://other-tenant.example.com/callback" ]
            """.formatted(TENANT, PA_PASSWORD, PB_PASSWORD, "password-of-pc-0004", JANE_PASSWORD, WEB_SECRET);

    private static final Pattern ERROR = Pattern.compile("<p class=\"error\" role=\"alert\" id=\"error\">([^<]*)</p>");
    private static final Pattern MESSAGE = Pattern.compile("<p class=\"message\" id=\"message\">([^<]*)</p>");
    private static final Pattern TITLE = Pattern.compile("<h1>([^<]*)</h1>");

    private SignInFixtures() {
    }

    /** An authorize request of the spa client with PKCE, in the given realm. */
    public static Map<String, String> spa(String scope, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", SPA);
        params.put("response_type", "code");
        params.put("redirect_uri", SPA_REDIRECT);
        params.put("scope", scope);
        params.put("state", state);
        params.put("code_challenge", CHALLENGE);
        params.put("code_challenge_method", "S256");
        return params;
    }

    /** An authorize request of a client without PKCE. */
    public static Map<String, String> plain(String clientId, String redirectUri, String scope, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", clientId);
        params.put("response_type", "code");
        params.put("redirect_uri", redirectUri);
        params.put("scope", scope);
        params.put("state", state);
        return params;
    }

    /** An authorize request, with PKCE, of the first-party client that skips consent. */
    public static Map<String, String> skipConsentPkce(String state) {
        return with(with(plain(SKIP, SKIP_REDIRECT, READ, state), "code_challenge", CHALLENGE), "code_challenge_method", "S256");
    }

    /** The browser-session rows of a server: what anonymous visits must not add to. */
    public static long sessionRows(TestServer server) {
        return dev.portcullis.testing.DatabaseSnapshot.rowCounts(server.database().dataSource()).get("browser_sessions");
    }

    public static Map<String, String> with(Map<String, String> params, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(params);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return copy;
    }

    public static String authorize(String realmBase, Map<String, String> params) {
        return realmBase + "/oauth2/authorize?" + TestServer.encode(params);
    }

    public static boolean isLoginPage(HttpResponse<String> response) {
        return response.statusCode() == 200 && response.body().contains("<h1>Sign in</h1>")
                && response.body().contains(">Sign in</button>");
    }

    public static boolean isConsentPage(HttpResponse<String> response) {
        return response.statusCode() == 200 && response.body().contains(">Allow</button>");
    }

    /** The error paragraph of a login page. */
    public static String loginError(HttpResponse<String> response) {
        Matcher m = ERROR.matcher(response.body());
        assertThat(m.find()).as("login page with an error:\n%s", response.body()).isTrue();
        return m.group(1);
    }

    /** The title of a message page (errors, signed out). */
    public static String title(HttpResponse<String> response) {
        Matcher m = TITLE.matcher(response.body());
        assertThat(m.find()).as("page with a title:\n%s", response.body()).isTrue();
        return m.group(1);
    }

    public static String message(HttpResponse<String> response) {
        Matcher m = MESSAGE.matcher(response.body());
        assertThat(m.find()).as("message page:\n%s", response.body()).isTrue();
        return m.group(1);
    }

    /** Opens an authorize URL and submits the login form; returns the response to the login post. */
    public static HttpResponse<String> login(BrowserClient browser, String authorizePath, String field, String identifier,
                                             String password) {
        HttpResponse<String> page = browser.follow(browser.get(authorizePath));
        assertThat(isLoginPage(page)).as("login page for %s:\n%s", authorizePath, page.body()).isTrue();
        return browser.submit(page, Map.of(field, identifier, "password", password));
    }

    /** An HTML page, never a redirect, with the headers every page carries. */
    public static void assertHtmlPage(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Location")).as("Location header").isEmpty();
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("frame-ancestors 'none'"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }
}
