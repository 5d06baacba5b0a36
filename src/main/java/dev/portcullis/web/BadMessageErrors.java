package dev.portcullis.web;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What Jetty answers for a request it refuses before any route sees it (a URI or headers over its limits, a request
 * line that is not HTTP): RFC 6749 error JSON like every other refusal, instead of Jetty's HTML page. The
 * description is fixed text: Jetty's reason can quote what the client sent.
 */
final class BadMessageErrors extends ErrorHandler {

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String description = switch (status) {
            case 413 -> "the request is too large";
            case 414 -> "the request URI is too long (at most 8 KiB with its query)";
            case 431 -> "the request headers are too large (at most 8 KiB)";
            default -> "the request is not valid HTTP";
        };
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        String body = "{\"error\":\"invalid_request\",\"error_description\":\"" + description + "\"}";
        return ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8));
    }
}
