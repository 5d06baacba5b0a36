package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** One admin API call: its caller, path and query parameters with their limits, body, preconditions and answer. */
final class AdminRequest {

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_QUERY_VALUE = 256;
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;
    /** Tenant, client, user and other ids in paths: the identifier alphabets of the tenants file, bounded. */
    private static final Pattern PATH_VALUE = Pattern.compile("[A-Za-z0-9._~@+:-]{1,256}");

    private final Context ctx;
    private final AdminCaller caller;

    AdminRequest(Context ctx, AdminCaller caller) {
        this.ctx = ctx;
        this.caller = caller;
    }

    AdminCaller caller() {
        return caller;
    }

    /** A path parameter; one outside the identifier alphabet names nothing that could exist. */
    String path(String name) {
        String value = ctx.pathParam(name);
        if (!PATH_VALUE.matcher(value).matches()) {
            throw Problem.notFound("no " + name.replace('_', ' ') + " '" + shortened(value) + "'");
        }
        return value;
    }

    /** Whether a value could be named in a path: ids the API creates must be, or they could never be read back. */
    static boolean isPathValue(String value) {
        return PATH_VALUE.matcher(value).matches();
    }

    /** A path parameter of its own alphabet (a scope name, say), bounded like every other. */
    String path(String name, Pattern alphabet) {
        String value = ctx.pathParam(name);
        if (value.length() > 256 || !alphabet.matcher(value).matches()) {
            throw Problem.notFound("no " + name.replace('_', ' ') + " '" + shortened(value) + "'");
        }
        return value;
    }

    /** The tenant of the path, after checking the caller administers it. */
    String tenant() {
        String tenant = path("tenant");
        caller.requireTenant(tenant);
        return tenant;
    }

    Optional<String> query(String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > MAX_QUERY_VALUE) {
            throw Problem.invalidField(name, name + " may have at most " + MAX_QUERY_VALUE + " characters");
        }
        return Optional.of(value);
    }

    Optional<Boolean> booleanQuery(String name) {
        return query(name).map(value -> switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Problem.invalidField(name, name + " must be true or false");
        });
    }

    /** The page size: {@code limit}, 1 to 200, 50 by default. */
    int limit() {
        OptionalInt limit = query("limit").map(value -> {
            try {
                return OptionalInt.of(Integer.parseInt(value));
            } catch (NumberFormatException e) {
                return OptionalInt.of(-1);
            }
        }).orElse(OptionalInt.empty());
        int value = limit.orElse(DEFAULT_PAGE);
        if (value < 1 || value > MAX_PAGE) {
            throw Problem.invalidField("limit", "limit must be a whole number from 1 to " + MAX_PAGE);
        }
        return value;
    }

    /** The body as one JSON object, checked for its media type and size before it is parsed. */
    ObjectNode body() {
        String type = Optional.ofNullable(ctx.contentType()).map(t -> t.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT))
                .orElse("");
        if (!type.equals("application/json") && !type.equals("application/merge-patch+json")) {
            throw Problem.of(Problem.Type.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json"
                    + (ctx.method().name().equals("PATCH") ? " or application/merge-patch+json" : ""));
        }
        long declared = ctx.contentLength();
        if (declared > MAX_BODY_BYTES) {
            throw Problem.of(Problem.Type.PAYLOAD_TOO_LARGE, "a body may have at most " + MAX_BODY_BYTES + " bytes");
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > MAX_BODY_BYTES) {
            throw Problem.of(Problem.Type.PAYLOAD_TOO_LARGE, "a body may have at most " + MAX_BODY_BYTES + " bytes");
        }
        return AdminJson.parseObject(bytes);
    }

    /** The body of an operation whose body may be left out: an empty object when the request has none. */
    ObjectNode optionalBody() {
        // no Content-Type, no length and no chunks: HTTP/1.1's way of sending no body (RFC 9112 section 6.3)
        boolean none = ctx.contentType() == null && ctx.contentLength() <= 0 && ctx.header("Transfer-Encoding") == null;
        return none ? AdminJson.object() : body();
    }

    /**
     * The {@code If-Match} an update must carry: the ETag of the representation it was based on. Refusing updates
     * without it (428) keeps two administrators from silently overwriting each other's changes.
     */
    String ifMatch() {
        String value = ctx.header("If-Match");
        if (value == null || value.isBlank()) {
            throw Problem.of(Problem.Type.PRECONDITION_REQUIRED, "send If-Match with the ETag of the resource as you last read it "
                    + "(GET it first)");
        }
        if (value.length() > MAX_QUERY_VALUE) {
            throw Problem.invalidField("If-Match", "If-Match is too long");
        }
        return value.strip();
    }

    /** RFC 9110 section 13.1.1: strong comparison; {@code *} matches any current representation. */
    static void requireMatch(String ifMatch, String currentEtag) {
        if (ifMatch.equals("*")) {
            return;
        }
        for (String tag : ifMatch.split(",")) {
            if (tag.strip().equals(currentEtag)) {
                return;
            }
        }
        throw Problem.of(Problem.Type.PRECONDITION_FAILED, "the resource changed since you read it (its ETag is now "
                + currentEtag + "); GET it again and reapply your change").with("etag", currentEtag);
    }

    void ok(JsonNode representation) {
        json(200, representation);
    }

    /** 200 with the representation and its ETag. */
    void okWithEtag(JsonNode representation) {
        ctx.header("ETag", AdminJson.etag(representation));
        json(200, representation);
    }

    /** 201 with {@code Location} (relative to the API's base) and the new resource's ETag. */
    void created(String location, JsonNode representation) {
        ctx.header("Location", AdminRouter.BASE + location);
        ctx.header("ETag", AdminJson.etag(representation));
        json(201, representation);
    }

    void noContent() {
        ctx.status(204);
    }

    /** A page of a list, with the cursor of the next page in the body and in an RFC 8288 {@code Link} header. */
    void page(java.util.List<? extends JsonNode> items, Optional<String> nextCursor) {
        ObjectNode body = AdminJson.object();
        body.putArray("items").addAll(items);
        nextCursor.ifPresent(cursor -> {
            body.put("next_cursor", cursor);
            ctx.header("Link", "<" + ctx.path() + "?" + nextQuery(cursor) + ">; rel=\"next\"");
        });
        json(200, body);
    }

    private String nextQuery(String cursor) {
        StringBuilder query = new StringBuilder();
        ctx.queryParamMap().forEach((name, values) -> {
            if (!name.equals("cursor")) {
                values.forEach(value -> query.append(encode(name)).append('=').append(encode(value)).append('&'));
            }
        });
        return query.append("cursor=").append(encode(cursor)).toString();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void json(int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(AdminJson.bytes(body));
    }

    static String shortened(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 64 ? printable.substring(0, 64) + "..." : printable;
    }
}
