package dev.portcullis.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/**
 * Writes YAML line by line for {@link TenantExporter}. Every string is a JSON string, which is also
 * a YAML double-quoted scalar: no name, URL or description can turn into a number, a boolean, a
 * comment or a new key, whatever it contains.
 */
final class YamlText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StringBuilder text = new StringBuilder();

    static String quote(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A scalar as YAML: numbers and booleans plain, strings quoted; a list of strings as a flow list. */
    static String scalar(Object value) {
        if (value instanceof List<?> values) {
            return list(values.stream().map(Object::toString).toList());
        }
        return value instanceof Number || value instanceof Boolean ? value.toString() : quote(value.toString());
    }

    static String list(List<String> values) {
        return values.isEmpty() ? "[]" : "[ " + String.join(", ", values.stream().map(YamlText::quote).toList()) + " ]";
    }

    /** A one-line mapping of the non-null entries, in order. */
    static String flow(Map<String, Object> fields) {
        StringBuilder line = new StringBuilder("{ ");
        fields.forEach((key, value) -> {
            if (value != null) {
                line.append(line.length() > 2 ? ", " : "").append(key).append(": ").append(scalar(value));
            }
        });
        return line.append(" }").toString();
    }

    YamlText line(int indent, String content) {
        text.append("  ".repeat(indent)).append(content).append('\n');
        return this;
    }

    /** {@code key: value}, left out when the value is null (the file's default then applies, as it did when stored). */
    YamlText field(int indent, String key, Object value) {
        return value == null ? this : line(indent, key + ": " + scalar(value));
    }

    YamlText comment(int indent, String content) {
        // a comment is one line: a newline in a stored name must not start a line of YAML
        return line(indent, "# " + content.replaceAll("[\\r\\n]", " "));
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
