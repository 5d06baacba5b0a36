package dev.portcullis.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's files from {@code src/main/resources/console}, under names that carry a hash of their content, so
 * browsers may keep them for a year and a new release is fetched anew. Starting from index.html, it follows every
 * {@code assets/NAME} the page names and every relative import of the modules, renaming each reference to the
 * hashed name; a module's hash covers the hashed names of what it imports, so a change anywhere renames its importers
 * too. No build step: this runs once, when the server starts.
 */
final class ConsoleAssets {

    /** One file as served: its hashed name, media type and bytes. */
    record Asset(String name, String contentType, byte[] body) {
    }

    private static final String ROOT = "/console/";
    private static final Pattern PAGE_REFERENCE = Pattern.compile("(?<=\")assets/([a-z0-9-]+\\.(?:js|css|svg))(?=\")");
    private static final Pattern IMPORT = Pattern.compile("(?<=(?:from|import)\\s{0,4}['\"])\\./([a-z0-9-]+\\.js)(?=['\"])");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    private final Map<String, Asset> byHashedName = new LinkedHashMap<>();
    private final Map<String, String> hashedNames = new LinkedHashMap<>();
    private final String indexTemplate;

    private ConsoleAssets() {
        String index = text("index.html");
        indexTemplate = rewrite(index, PAGE_REFERENCE, name -> "assets/" + hashed(name, new HashSet<>()));
    }

    static ConsoleAssets load() {
        return new ConsoleAssets();
    }

    /** index.html, naming the hashed assets; {@code {{PUBLIC_URL}}} is the caller's to fill. */
    String indexTemplate() {
        return indexTemplate;
    }

    Optional<Asset> find(String hashedName) {
        return Optional.ofNullable(byHashedName.get(hashedName));
    }

    Set<String> names() {
        return byHashedName.keySet();
    }

    /** The hashed name of {@code name}, computed after those of the modules it imports; {@code visiting} catches cycles. */
    private String hashed(String name, Set<String> visiting) {
        String known = hashedNames.get(name);
        if (known != null) {
            return known;
        }
        if (!visiting.add(name)) {
            throw new IllegalStateException("console module " + name + " imports itself through a cycle; hashed names need none");
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        byte[] body = bytes(name);
        if (extension.equals("js")) {
            String source = rewrite(new String(body, StandardCharsets.UTF_8), IMPORT, imported -> "./" + hashed(imported, visiting));
            body = source.getBytes(StandardCharsets.UTF_8);
        }
        String hashedName = name.substring(0, name.length() - extension.length() - 1) + "." + digest(body) + "." + extension;
        hashedNames.put(name, hashedName);
        byHashedName.put(hashedName, new Asset(hashedName, TYPES.get(extension), body));
        visiting.remove(name);
        return hashedName;
    }

    private static String rewrite(String text, Pattern reference, java.util.function.UnaryOperator<String> renamed) {
        Matcher matcher = reference.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = renamed.apply(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("console file " + ROOT + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
