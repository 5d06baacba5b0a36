package dev.portcullis.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An application/x-www-form-urlencoded body, decoded strictly: malformed percent-escapes,
 * invalid UTF-8 and repeated parameters (RFC 6749 section 3.2) are refused rather than guessed at,
 * and a parameter sent without a value counts as omitted (section 3.1). Every value is held to its
 * {@link ParameterLimits limit} here, before anything looks it up. The one exception is {@code resource}, which
 * RFC 8707 lets a request repeat (up to {@link #MAX_RESOURCES} times): {@link #all} gives every value.
 */
public final class FormParameters {

    public static final String RESOURCE = "resource";
    public static final int MAX_RESOURCES = 10;

    private final Map<String, String> values;
    private final List<String> resources;

    private FormParameters(Map<String, String> values, List<String> resources) {
        this.values = Collections.unmodifiableMap(values);
        this.resources = List.copyOf(resources);
    }

    public static FormParameters of(Map<String, String> values) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        return new FormParameters(copy, copy.containsKey(RESOURCE) ? List.of(copy.get(RESOURCE)) : List.of());
    }

    public static FormParameters parse(byte[] body) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> resources = new ArrayList<>();
        int start = 0;
        while (start < body.length) {
            int end = indexOf(body, (byte) '&', start, body.length);
            if (end < 0) {
                end = body.length;
            }
            if (end > start) {
                int equals = indexOf(body, (byte) '=', start, end);
                String name = decode(body, start, equals < 0 ? end : equals);
                if (name.isEmpty()) {
                    throw OAuthException.invalidRequest("the form body has a parameter with no name");
                }
                if (name.length() > ParameterLimits.NAME) {
                    throw OAuthException.invalidRequest("the form body has a parameter name longer than "
                            + ParameterLimits.NAME + " characters");
                }
                String value = equals < 0 ? "" : decode(body, equals + 1, end);
                ParameterLimits.check(name, value);
                if (name.equals(RESOURCE)) {
                    if (!value.isEmpty()) {
                        if (resources.size() == MAX_RESOURCES) {
                            throw OAuthException.invalidRequest("the request names more than " + MAX_RESOURCES + " resources");
                        }
                        resources.add(value);
                        values.put(name, resources.get(0));
                    }
                } else if (values.containsKey(name)) {
                    throw OAuthException.invalidRequest("parameter '" + name + "' is repeated; send each parameter once");
                } else {
                    values.put(name, value);
                }
                if (values.size() > ParameterLimits.COUNT) {
                    throw OAuthException.invalidRequest("the form body has more than " + ParameterLimits.COUNT + " parameters");
                }
            }
            start = end + 1;
        }
        values.values().removeIf(String::isEmpty);
        return new FormParameters(values, resources);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** Every value of {@code name}, in order: only {@code resource} may have more than one. */
    public List<String> all(String name) {
        if (name.equals(RESOURCE)) {
            return resources;
        }
        return get(name).map(List::of).orElse(List.of());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String require(String name) {
        String value = values.get(name);
        if (value == null) {
            throw OAuthException.invalidRequest("missing required parameter '" + name + "'");
        }
        return value;
    }

    public Set<String> names() {
        return values.keySet();
    }

    public Map<String, String> asMap() {
        return values;
    }

    private static int indexOf(byte[] body, byte target, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] == target) {
                return i;
            }
        }
        return -1;
    }

    private static String decode(byte[] body, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                bytes.write(' ');
            } else if (b == '%') {
                if (i + 2 >= to || hex(body[i + 1]) < 0 || hex(body[i + 2]) < 0) {
                    throw OAuthException.invalidRequest("the form body has a malformed percent-encoding near byte " + i
                            + "; encode '%' as %25");
                }
                bytes.write(hex(body[i + 1]) << 4 | hex(body[i + 2]));
                i += 2;
            } else {
                bytes.write(b);
            }
        }
        // No OAuth parameter may hold NUL (RFC 6749 appendix A), and PostgreSQL cannot even look one up.
        byte[] decoded = bytes.toByteArray();
        for (byte value : decoded) {
            if (value == 0) {
                throw OAuthException.invalidRequest("the form body contains a NUL character (%00), which no parameter may hold");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded))
                    .toString();
        } catch (CharacterCodingException e) {
            throw OAuthException.invalidRequest("the form body is not valid UTF-8");
        }
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
