package dev.portcullis.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.net.URLDecoder;
import java.util.stream.Stream;

/**
 * Looks for secrets in log files in one pass: each secret is cut into its runs of token characters (letters, digits,
 * {@code -_~}) of at least {@link SentSecrets#MIN_LENGTH}, and each log line, as written and percent-decoded, into
 * words at every other character; a word that is such a run is a leak. Runs of fewer than eight different characters
 * (a mutated request's "xxxx...") are not secrets and are left out. So a token found whole, quoted, inside a
 * URL or as one part of a JWT (payload or signature; the header is the same for every token and is not looked for)
 * is caught, and a run of a hundred thousand requests is scanned in seconds.
 */
final class LogLeaks {

    /** A secret found in a log line. */
    record Leak(String kind, Path file, String line) {
        @Override
        public String toString() {
            String shown = line.length() > 300 ? line.substring(0, 300) + "..." : line;
            return kind + " in " + file.getFileName() + ": " + shown;
        }
    }

    private static final Pattern SEPARATORS = Pattern.compile("[^A-Za-z0-9_~-]+");

    private LogLeaks() {
    }

    /** Every line of every {@code .log} file under {@code directory} (recursively) holding one of the secrets. */
    static List<Leak> scan(Path directory, Map<String, String> kindBySecret) throws IOException {
        Map<String, String> runs = new HashMap<>();
        kindBySecret.forEach((secret, kind) -> {
            String[] parts = secret.split("\\.", -1);
            boolean jwt = parts.length == 3 && parts[0].startsWith("eyJ");
            for (String run : SEPARATORS.split(jwt ? parts[1] + "." + parts[2] : secret)) {
                // a mutated request's "xxxx...x" is in many fields at once: only runs that look random are secrets
                if (run.length() >= SentSecrets.MIN_LENGTH && run.chars().distinct().count() >= 8) {
                    runs.putIfAbsent(run, kind);
                }
            }
        });
        List<Leak> leaks = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".log")).sorted().toList();
        }
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    String kind = leakIn(line, runs);
                    if (kind == null && line.indexOf('%') >= 0) {
                        kind = leakIn(percentDecoded(line), runs);
                    }
                    if (kind != null && leaks.size() < 100) {
                        leaks.add(new Leak(kind, file, line));
                    }
                }
            }
        }
        return leaks;
    }

    private static String leakIn(String line, Map<String, String> runs) {
        for (String word : SEPARATORS.split(line)) {
            if (word.length() >= SentSecrets.MIN_LENGTH) {
                String kind = runs.get(word);
                if (kind != null) {
                    return kind;
                }
            }
        }
        return null;
    }

    private static String percentDecoded(String line) {
        try {
            return URLDecoder.decode(line.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return line;
        }
    }
}
