package dev.portcullis.admin.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON as the admin API reads and writes it: strict parsing (no duplicate keys, no trailing content, bounded
 * depth and lengths), RFC 7396 merge patches, the strong ETag of a representation, and field-by-field diffs
 * for audit events.
 */
final class AdminJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(AdminRequest.MAX_BODY_BYTES).maxNumberLength(20).build());
    }

    private AdminJson() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** A request body that must be one JSON object. */
    static ObjectNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw Problem.invalid("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw Problem.invalid("the body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw Problem.invalid("the body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** RFC 7396: a patch's members replace the target's, null removes one, objects merge recursively. */
    static ObjectNode mergePatch(ObjectNode target, ObjectNode patch) {
        ObjectNode result = target.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                result.remove(field.getKey());
            } else if (value.isObject() && result.get(field.getKey()) instanceof ObjectNode existing) {
                result.set(field.getKey(), mergePatch(existing, (ObjectNode) value));
            } else {
                result.set(field.getKey(), value);
            }
        }
        return result;
    }

    /** A strong validator of the representation: equal bytes, equal tag. */
    static String etag(JsonNode representation) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes(representation));
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The members that differ between two representations, each as {@code {"from": ..., "to": ...}} (a side
     * absent when the member was); members named in {@code redacted} appear as {@code {"changed": true}}.
     */
    static ObjectNode diff(JsonNode before, JsonNode after, java.util.Set<String> redacted) {
        ObjectNode changes = object();
        java.util.Set<String> names = new java.util.TreeSet<>();
        if (before != null) {
            before.fieldNames().forEachRemaining(names::add);
        }
        if (after != null) {
            after.fieldNames().forEachRemaining(names::add);
        }
        for (String name : names) {
            JsonNode from = before == null ? null : before.get(name);
            JsonNode to = after == null ? null : after.get(name);
            if (java.util.Objects.equals(from, to)) {
                continue;
            }
            ObjectNode change = changes.putObject(name);
            if (redacted.contains(name)) {
                change.put("changed", true);
                continue;
            }
            if (from != null) {
                change.set("from", from);
            }
            if (to != null) {
                change.set("to", to);
            }
        }
        return changes;
    }

    static String text(JsonNode node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }
}
