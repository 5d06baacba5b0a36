package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Cursor pagination: a cursor is the opaque form of the last key a page held, and the next page starts after
 * it, so pages stay stable while items are added or removed elsewhere in the list.
 */
final class Cursors {

    private Cursors() {
    }

    static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key the request's {@code cursor} stands for. */
    static Optional<String> after(AdminRequest request) {
        return request.query("cursor").map(cursor -> {
            try {
                return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw Problem.invalidField("cursor", "cursor is not one this API gave out; use the next_cursor of the previous page");
            }
        });
    }

    /** One page of a list already sorted by {@code key} and filtered, answered with its next cursor. */
    static <T> void page(AdminRequest request, List<T> sorted, Function<T, String> key, Function<T, ? extends JsonNode> representation) {
        Optional<String> after = after(request);
        int limit = request.limit();
        List<JsonNode> items = new ArrayList<>();
        String last = null;
        boolean more = false;
        for (T item : sorted) {
            String itemKey = key.apply(item);
            if (after.isPresent() && itemKey.compareTo(after.get()) <= 0) {
                continue;
            }
            if (items.size() == limit) {
                more = true;
                break;
            }
            items.add(representation.apply(item));
            last = itemKey;
        }
        request.page(items, more ? Optional.of(encode(last)) : Optional.empty());
    }
}
