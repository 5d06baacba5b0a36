package dev.portcullis.web;

import dev.portcullis.protocol.OAuthException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * A request body of one media type in UTF-8, read up to a size cap whatever Content-Length claims: the token, PAR and
 * registration endpoints refuse anything else with {@code invalid_request} before reading further.
 */
public final class RequestBodies {

    private RequestBodies() {
    }

    /** The body, if it is {@code mediaType} (UTF-8, or no charset) and at most {@code maxBytes} long. */
    public static byte[] read(Context ctx, String mediaType, int maxBytes) {
        String contentType = Optional.ofNullable(ctx.header("Content-Type")).orElse("");
        String[] parts = contentType.split(";", -1);
        if (!parts[0].trim().equalsIgnoreCase(mediaType)) {
            throw OAuthException.invalidRequest("Content-Type must be " + mediaType
                    + (contentType.isBlank() ? " (none was sent)" : ", not '" + printable(parts[0].trim()) + "'"));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].trim().split("=", 2);
            if (param[0].trim().equalsIgnoreCase("charset") && param.length == 2
                    && !param[1].trim().replace("\"", "").toLowerCase(Locale.ROOT).equals("utf-8")) {
                throw OAuthException.invalidRequest("the body must be UTF-8, not charset " + printable(param[1].trim()));
            }
        }
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw OAuthException.invalidRequest("the request body could not be read");
        }
    }

    private static OAuthException tooLarge(int maxBytes) {
        return OAuthException.invalidRequest("the request body is larger than " + maxBytes / 1024 + " KiB");
    }

    /** A header value quoted back: printable ASCII only, and short. */
    private static String printable(String value) {
        String cleaned = value.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() > 100 ? cleaned.substring(0, 100) + "..." : cleaned;
    }
}
