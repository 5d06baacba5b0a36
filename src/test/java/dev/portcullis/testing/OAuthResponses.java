package dev.portcullis.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions and small helpers for token endpoint responses. */
public final class OAuthResponses {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OAuthResponses() {
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (status " + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** Asserts an RFC 6749 5.2 error: status, JSON content, error code, a description naming each fragment, no-store. */
    public static JsonNode assertError(HttpResponse<String> response, int status, String error, String... descriptionContains) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as("Content-Type").hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).as("error code in %s", response.body()).isEqualTo(error);
        String description = body.path("error_description").asText();
        assertThat(description).as("error_description").isNotBlank();
        for (String fragment : descriptionContains) {
            assertThat(description).as("error_description").containsIgnoringCase(fragment);
        }
        assertThat(response.headers().firstValue("Cache-Control")).as("Cache-Control").contains("no-store");
        return body;
    }

    /** Asserts a successful token response and returns the parsed, unverified JWT. */
    public static SignedJWT assertToken(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = json(response);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        try {
            return SignedJWT.parse(body.path("access_token").asText());
        } catch (ParseException e) {
            throw new AssertionError("access_token is not a JWT: " + response.body(), e);
        }
    }

    /** A form in insertion order: {@code form("grant_type", "password", "scope", "x")}. */
    public static Map<String, String> form(String... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            form.put(nameValues[i], nameValues[i + 1]);
        }
        return form;
    }
}
