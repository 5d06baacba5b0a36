package dev.portcullis.testing;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser stand-in for sign-in tests: keeps cookies, never follows redirects on its own (so a
 * test sees each hop), and submits the forms of the server's pages with their hidden fields.
 */
public final class BrowserClient {

    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final Pattern ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\">");

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    public BrowserClient(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public CookieManager cookies() {
        return cookies;
    }

    /** GET a path on the server (or an absolute URL). */
    public HttpResponse<String> get(String pathOrUrl) {
        return send(HttpRequest.newBuilder(resolve(pathOrUrl)).GET().build());
    }

    /** Follows redirects within the server and stops at the first non-redirect, or at a redirect leaving the server. */
    public HttpResponse<String> follow(HttpResponse<String> response) {
        HttpResponse<String> current = response;
        for (int hops = 0; hops < 10 && isRedirect(current) && location(current).startsWith("/"); hops++) {
            current = get(location(current));
        }
        return current;
    }

    public HttpResponse<String> post(String path, Map<String, String> form) {
        return post(path, form, Map.of());
    }

    public HttpResponse<String> post(String path, Map<String, String> form, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.encode(form)));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** Submits the page's form with its hidden fields plus {@code fields}. */
    public HttpResponse<String> submit(HttpResponse<String> page, Map<String, String> fields) {
        return submit(page, fields, Map.of());
    }

    /** Submits the page's form with extra request headers, e.g. the X-Forwarded-For a proxy would add. */
    public HttpResponse<String> submit(HttpResponse<String> page, Map<String, String> fields, Map<String, String> headers) {
        Matcher action = ACTION.matcher(page.body());
        if (!action.find()) {
            throw new AssertionError("no form on the page:\n" + page.body());
        }
        Map<String, String> form = hiddenFields(page.body());
        form.putAll(fields);
        return post(unescape(action.group(1)), form, headers);
    }

    public static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(html);
        while (hidden.find()) {
            fields.put(hidden.group(1), unescape(hidden.group(2)));
        }
        return fields;
    }

    public static boolean isRedirect(HttpResponse<String> response) {
        return response.statusCode() == 302 || response.statusCode() == 303;
    }

    public static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location header"));
    }

    /** The query parameters of a redirect's Location. */
    public static Map<String, String> redirectParams(HttpResponse<String> response) {
        String location = location(response);
        Map<String, String> params = new LinkedHashMap<>();
        int query = location.indexOf('?');
        if (query < 0) {
            return params;
        }
        for (String pair : location.substring(query + 1).split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(c -> c.getValue()).findFirst();
    }

    private URI resolve(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
    }

    private HttpResponse<String> send(HttpRequest request) {
        return TestServer.send(http, request);
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">");
    }
}
