package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testing.TestServer;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls the admin API of a running server as one caller (one bearer token), with JSON bodies. */
final class AdminApiClient {

    static final String BASE = "/admin/api/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TestServer server;
    private final String token;

    AdminApiClient(TestServer server, String token) {
        this.server = server;
        this.token = token;
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null, null);
    }

    HttpResponse<String> post(String path, String json) {
        return send("POST", path, json, null);
    }

    HttpResponse<String> put(String path, String json, String ifMatch) {
        return send("PUT", path, json, ifMatch);
    }

    HttpResponse<String> patch(String path, String json, String ifMatch) {
        return send("PATCH", path, json, ifMatch);
    }

    HttpResponse<String> delete(String path) {
        return send("DELETE", path, null, null);
    }

    HttpResponse<String> send(String method, String path, String json, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + BASE + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return server.send(request.build());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The response has {@code status} and a JSON body; returns the body. */
    static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return json(response);
    }

    /** An RFC 9457 problem with {@code status} whose detail contains each of {@code detailContains}; returns it. */
    static JsonNode problem(HttpResponse<String> response, int status, String... detailContains) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).startsWith("urn:portcullis:problem:");
        assertThat(problem.path("title").asText()).isNotBlank();
        for (String part : detailContains) {
            assertThat(problem.path("detail").asText()).contains(part);
        }
        return problem;
    }
}
