package dev.portcullis.ops;

import dev.portcullis.ops.OpsHttp.Reply;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every secret a run sent to the server or got from it, by kind: client secrets, passwords, initial and registration
 * access tokens, codes, code verifiers, access, ID and refresh tokens ({@link LogLeaks} looks for them). Values shorter than {@link #MIN_LENGTH} are
 * left out: a mutated request's "x" could appear in a log by chance, a 16-character secret cannot.
 */
final class SentSecrets {

    static final int MIN_LENGTH = 16;

    private static final Map<String, String> PARAMETERS = Map.ofEntries(Map.entry("client_secret", "client secret"),
            Map.entry("password", "password"), Map.entry("refresh_token", "refresh token"), Map.entry("code", "code"),
            Map.entry("code_verifier", "code verifier"), Map.entry("subject_token", "subject token"),
            Map.entry("actor_token", "subject token"), Map.entry("token", "token"),
            Map.entry("client_assertion", "client assertion"));
    private static final Map<String, String> ANSWERED = Map.ofEntries(Map.entry("access_token", "access token"),
            Map.entry("refresh_token", "refresh token"), Map.entry("id_token", "ID token"),
            Map.entry("registration_access_token", "registration access token"), Map.entry("client_secret", "client secret"),
            Map.entry("secret", "client secret"), Map.entry("password", "password"));
    private static final Pattern CODE_IN_LOCATION = Pattern.compile("[?&#]code=([^&#]+)");

    private final Map<String, String> kindBySecret = new ConcurrentHashMap<>();

    /** Everything secret in a request and its answer. */
    void observe(Probe probe, Reply reply) {
        for (var pairs : java.util.List.of(probe.form, probe.query)) {
            for (String[] pair : pairs) {
                String kind = PARAMETERS.get(pair[0]);
                if (kind != null) {
                    add(kind, pair[1]);
                }
            }
        }
        String authorization = probe.headers.getOrDefault("Authorization", "");
        if (authorization.startsWith("Basic ")) {
            basicSecret(authorization.substring(6));
        } else if (authorization.startsWith("Bearer ") || authorization.startsWith("DPoP ")) {
            add("presented token", authorization.substring(authorization.indexOf(' ') + 1));
        }
        if (probe.body != null && "application/json".equals(probe.contentType)) {
            members(new String(probe.body, StandardCharsets.UTF_8));
        }
        if (reply.status() > 0) {
            members(reply.body());
            Matcher code = CODE_IN_LOCATION.matcher(reply.location());
            if (code.find()) {
                add("code", URLDecoder.decode(code.group(1), StandardCharsets.UTF_8));
            }
        }
    }

    private void basicSecret(String encoded) {
        try {
            String pair = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon >= 0) {
                add("client secret", URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException e) {
            // a mutated header that is not Base64 holds no secret of ours
        }
    }

    private void members(String json) {
        members(OpsHttp.parsed(json));
    }

    private void members(com.fasterxml.jackson.databind.JsonNode node) {
        if (node == null) {
            return;
        }
        node.fields().forEachRemaining(field -> {
            String kind = ANSWERED.get(field.getKey());
            if (kind != null && field.getValue().isTextual()) {
                add(kind, field.getValue().asText());
            }
            members(field.getValue());
        });
        if (node.isArray()) {
            node.forEach(this::members);
        }
    }

    private void add(String kind, String value) {
        if (value.length() < MIN_LENGTH) {
            return;
        }
        kindBySecret.putIfAbsent(value, kind);
    }

    Map<String, String> kindBySecret() {
        return Map.copyOf(kindBySecret);
    }

    Set<String> kinds() {
        return Set.copyOf(kindBySecret.values());
    }
}
