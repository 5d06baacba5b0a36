package dev.portcullis.admin.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem the admin API answers with: thrown anywhere in a request, written as
 * {@code application/problem+json} by {@link AdminRouter}. {@code detail} says what to fix; extension
 * members (such as {@code field}) point at the part of the request it concerns.
 */
public final class Problem extends RuntimeException {

    /** The problem types, each a URN whose last part names it; {@code title} is the same for every instance. */
    public enum Type {
        INVALID_REQUEST(400, "The request is not valid"),
        UNAUTHORIZED(401, "An access token is needed"),
        FORBIDDEN(403, "Not allowed"),
        NOT_FOUND(404, "No such resource"),
        METHOD_NOT_ALLOWED(405, "Method not allowed"),
        CONFLICT(409, "Conflicts with the current state"),
        PRECONDITION_FAILED(412, "The resource has changed"),
        PAYLOAD_TOO_LARGE(413, "The request body is too large"),
        UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
        PRECONDITION_REQUIRED(428, "If-Match is required"),
        UNAVAILABLE(503, "Temporarily unavailable"),
        SERVER_ERROR(500, "The server failed");

        final int status;
        final String title;

        Type(int status, String title) {
            this.status = status;
            this.title = title;
        }

        String uri() {
            return "urn:portcullis:problem:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Type type;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Problem(Type type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    public static Problem of(Type type, String detail) {
        return new Problem(type, detail);
    }

    public static Problem invalid(String detail) {
        return new Problem(Type.INVALID_REQUEST, detail);
    }

    /** A refusal of one field of the body or query, named in the {@code field} member. */
    public static Problem invalidField(String field, String detail) {
        return new Problem(Type.INVALID_REQUEST, detail).with("field", field);
    }

    public static Problem notFound(String detail) {
        return new Problem(Type.NOT_FOUND, detail);
    }

    public static Problem conflict(String detail) {
        return new Problem(Type.CONFLICT, detail);
    }

    public Problem with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    /** Response headers the problem needs, such as RFC 6750's {@code WWW-Authenticate} or {@code Allow}. */
    public Problem withHeaders(Map<String, String> values) {
        headers.putAll(values);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Type type() {
        return type;
    }

    public int status() {
        return type.status;
    }

    /** The problem as RFC 9457 JSON members, extensions after the standard ones. */
    public Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title);
        body.put("status", type.status);
        body.put("detail", getMessage());
        body.put("instance", instance);
        body.putAll(extensions);
        return body;
    }
}
