package dev.portcullis.ops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request of the randomized run, editable before it is sent: method, path, query and form parameters (as lists,
 * so that a mutation can repeat or drop one), headers, or a raw body. {@code expected} holds the statuses a valid
 * request must get; a mutated one has none and must only get an answer below 500. {@code raw} requests go over a
 * plain socket, for what the JDK client refuses to send (bad percent-encoding, junk in the request line).
 */
public final class Probe {

    /** What a refusal's body must look like. */
    public enum Answer { OAUTH_JSON, PROBLEM_JSON, HTML, ANY }

    final String endpoint;
    String method;
    String path;
    final List<String[]> query = new ArrayList<>();
    final List<String[]> form = new ArrayList<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    byte[] body;
    String contentType;
    Set<Integer> expected;
    Answer answer;
    boolean raw;
    String mutation = "";
    /** The PKCE verifier and client of a login's sign-in, for the redemption that follows it. */
    String verifier;
    String client;
    /** A registered client's id and registration access token, when the probe reads or deletes it. */
    String[] registration;
    /** For a raw request: the request target exactly as sent. */
    String rawTarget;

    Probe(String endpoint, String method, String path, Answer answer, Integer... expected) {
        this.endpoint = endpoint;
        this.method = method;
        this.path = path;
        this.answer = answer;
        this.expected = Set.of(expected);
    }

    Probe query(String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            query.add(new String[] {namesAndValues[i], namesAndValues[i + 1]});
        }
        return this;
    }

    Probe form(String... namesAndValues) {
        contentType = "application/x-www-form-urlencoded";
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.add(new String[] {namesAndValues[i], namesAndValues[i + 1]});
        }
        return this;
    }

    Probe json(String json) {
        contentType = "application/json";
        body = json.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    Probe header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    boolean valid() {
        return mutation.isEmpty();
    }

    /** The path with its query, percent-encoded. */
    String target() {
        return query.isEmpty() ? path : path + "?" + encode(query);
    }

    byte[] bodyBytes() {
        if (body != null) {
            return body;
        }
        if (form.isEmpty() && contentType == null) {
            return null;
        }
        return encode(form).getBytes(StandardCharsets.UTF_8);
    }

    static String encode(List<String[]> pairs) {
        StringBuilder text = new StringBuilder();
        for (String[] pair : pairs) {
            if (text.length() > 0) {
                text.append('&');
            }
            text.append(java.net.URLEncoder.encode(pair[0], StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(pair[1], StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    String describe() {
        return method + " " + path + (query.isEmpty() ? "" : "?...") + " [" + endpoint + (mutation.isEmpty() ? ", valid" : ", " + mutation) + "]";
    }
}
