package dev.portcullis.token;

import java.util.Arrays;
import java.util.List;

/** The resources (RFC 8707) a code or refresh family was authorized for, as one column: space-separated, as no URI holds a space. */
final class Resources {

    private Resources() {
    }

    static String column(List<String> resources) {
        return String.join(" ", resources);
    }

    static List<String> fromColumn(String column) {
        return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split(" "));
    }
}
