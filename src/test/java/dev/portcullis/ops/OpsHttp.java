package dev.portcullis.ops;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The HTTP side of the ops drivers: the JDK client (HTTP/1.1, keep-alive, no redirects followed), and replies
 * that turn an I/O failure into a status of -1 instead of an exception, since the scenarios count failures
 * rather than stop at them.
 */
public final class OpsHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    static {
        // An idle connection must be dropped by the client before the server (HAProxy: timeout http-keep-alive 10s)
        // drops it, or a request sent on it just as it closes fails; the JDK keeps them 1,200 s by default.
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "5");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The body as a JSON tree, or null when it is not JSON. */
    static JsonNode parsed(String body) {
        if (body == null || body.isEmpty() || (body.charAt(0) != '{' && body.charAt(0) != '[' && !Character.isWhitespace(body.charAt(0)))) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private final HttpClient client;
    private final java.util.concurrent.atomic.LongAdder sent = new java.util.concurrent.atomic.LongAdder();

    public OpsHttp() {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** One answer: status (-1 when there was none, e.g. a reset connection or a timeout), body, headers. */
    public record Reply(int status, String body, Map<String, String> headers, String failure, long nanos) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Neither an answer nor an OAuth refusal: no answer at all, or a 5xx. */
        public boolean failed() {
            return status < 0 || status >= 500;
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        public String location() {
            return header("location").orElse("");
        }

        /**
         * A string member of a JSON body, top-level first, else the first one nested (the drivers read token responses
         * and error objects with it). Parsed, not matched with a regular expression: a long value (a mutated request's
         * echo) overflowed the stack of the regex engine and killed the randomized run's workers.
         */
        public Optional<String> json(String member) {
            return member(member).filter(JsonNode::isTextual).map(JsonNode::asText);
        }

        /** A boolean member of a JSON body, found as {@link #json} finds a string. */
        public Optional<Boolean> jsonBoolean(String member) {
            return member(member).filter(JsonNode::isBoolean).map(JsonNode::asBoolean);
        }

        private Optional<JsonNode> member(String member) {
            JsonNode tree = parsed(body);
            if (tree == null) {
                return Optional.empty();
            }
            JsonNode top = tree.get(member);
            return Optional.ofNullable(top != null ? top : tree.findValue(member));
        }

        public String describe() {
            if (status < 0) {
                return "no answer (" + failure + ")";
            }
            String text = body.replaceAll("\\s+", " ");
            return "HTTP " + status + " " + text.substring(0, Math.min(240, text.length()));
        }
    }

    public Reply get(String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    public Reply get(String url) {
        return get(url, Map.of());
    }

    public Reply postForm(String url, Map<String, String> form, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        headers.forEach(request::header);
        return send(request);
    }

    public Reply postForm(String url, Map<String, String> form) {
        return postForm(url, form, Map.of());
    }

    /** Any method with any body and headers, for the admin API and for malformed requests. */
    public Reply send(String method, String url, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return send(request);
    }

    /** How many requests this client has sent. */
    public long sent() {
        return sent.sum();
    }

    public Reply send(HttpRequest.Builder request) {
        sent.increment();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request.timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, String> headers = new HashMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join("\n", values)));
            return new Reply(response.statusCode(), response.body(), headers, null, System.nanoTime() - start);
        } catch (IOException e) {
            return new Reply(-1, "", Map.of(), e.toString(), System.nanoTime() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "", Map.of(), "interrupted", System.nanoTime() - start);
        }
    }

    public static String form(Map<String, String> values) {
        StringJoiner body = new StringJoiner("&");
        values.forEach((key, value) -> body.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /** An ordered form from alternating names and values. */
    public static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }

    public static String basic(String clientId, String secret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** The query parameters of a redirect Location. */
    public static Map<String, String> query(String location) {
        Map<String, String> params = new LinkedHashMap<>();
        int start = location.indexOf('?');
        if (start < 0) {
            return params;
        }
        for (String pair : location.substring(start + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** Cookies of one browser: name to value, sent with each of its requests (one host, one path tree). */
    public static final class Jar {
        private final Map<String, String> cookies = new LinkedHashMap<>();

        public void absorb(Reply reply) {
            String all = reply.headers().get("set-cookie");
            if (all == null) {
                return;
            }
            for (String header : all.split("\n")) {
                String pair = header.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String lower = header.toLowerCase(Locale.ROOT);
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || lower.contains("max-age=0")) {
                    cookies.remove(pair.substring(0, eq).trim());
                } else {
                    cookies.put(pair.substring(0, eq).trim(), value);
                }
            }
        }

        /** The cookie values (a session cookie is a secret too). */
        public java.util.Collection<String> values() {
            return List.copyOf(cookies.values());
        }

        public Map<String, String> header() {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            StringJoiner value = new StringJoiner("; ");
            cookies.forEach((name, v) -> value.add(name + "=" + v));
            return Map.of("Cookie", value.toString());
        }
    }
}
