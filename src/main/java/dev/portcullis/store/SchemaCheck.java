package dev.portcullis.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * Tells, without starting Flyway, whether a database is already at this build's schema: every versioned migration
 * on the class path applied successfully, with the checksum Flyway recorded for it, and nothing else applied.
 * Starting Flyway costs a few hundred milliseconds of class loading, class-path scanning and SQL parsing even when
 * it then finds nothing to do, which on a small machine is a third of the time to the first token; so
 * {@link Database#open} asks this first and leaves Flyway to every other case (a new database, a pending migration,
 * a failed or edited one, one it does not know), where it migrates, or refuses as it always has.
 *
 * <p>The checksum is Flyway's: a CRC-32 over the UTF-8 bytes of each line of the script without its line ending, a
 * byte-order mark dropped from the first line. A checksum that differs from the recorded one (a migration edited
 * after it was applied) makes the schema "not current", so Flyway's own validation still refuses it.
 */
final class SchemaCheck {

    static final String LOCATION = "db/migration";
    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__.+\\.sql");

    private SchemaCheck() {
    }

    /** True only when the database holds exactly this build's migrations, all successful and unedited. */
    static boolean isCurrent(DataSource dataSource) {
        Optional<Map<String, String>> scripts = scripts();
        if (scripts.isEmpty() || scripts.get().isEmpty()) {
            return false;
        }
        Map<String, Integer> applied = new HashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, checksum, success FROM flyway_schema_history")) {
            while (rows.next()) {
                String version = rows.getString(1);
                if (!rows.getBoolean(3)) {
                    return false;
                }
                if (version == null) {
                    continue;   // Flyway's own rows (schema creation) carry no version
                }
                int checksum = rows.getInt(2);
                if (rows.wasNull() || applied.put(normalise(version), checksum) != null) {
                    return false;
                }
            }
        } catch (SQLException noHistoryYet) {
            return false;   // a new database: no flyway_schema_history table
        }
        if (!applied.keySet().equals(scripts.get().keySet())) {
            return false;
        }
        for (Map.Entry<String, String> script : scripts.get().entrySet()) {
            if (applied.get(script.getKey()) != checksum(script.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Flyway's checksum of a script on the class path. */
    static int checksum(String resource) {
        try (InputStream in = SchemaCheck.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            CRC32 crc = new CRC32();
            String line;
            boolean first = true;
            while ((line = reader.readLine()) != null) {
                if (first && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                first = false;
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return (int) crc.getValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The versioned scripts of {@link #LOCATION}: normalised version to resource name; empty when the class path
     * cannot be listed (then Flyway decides).
     */
    static Optional<Map<String, String>> scripts() {
        URL url = SchemaCheck.class.getClassLoader().getResource(LOCATION);
        if (url == null) {
            return Optional.empty();
        }
        Map<String, String> scripts = new HashMap<>();
        try {
            if (url.getProtocol().equals("jar")) {
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                        String name = entry.getName();
                        if (!entry.isDirectory() && name.startsWith(LOCATION + "/") && name.indexOf('/', LOCATION.length() + 1) < 0) {
                            add(scripts, name.substring(LOCATION.length() + 1));
                        }
                    }
                }
            } else if (url.getProtocol().equals("file")) {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.filter(Files::isRegularFile).forEach(file -> add(scripts, file.getFileName().toString()));
                }
            } else {
                return Optional.empty();
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        // repeatable or other kinds of migration: not what this check understands, so Flyway decides
        return scripts.containsKey(OTHER) ? Optional.empty() : Optional.of(scripts);
    }

    private static final String OTHER = "other";

    private static void add(Map<String, String> scripts, String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        if (m.matches()) {
            scripts.put(normalise(m.group(1)), LOCATION + "/" + fileName);
        } else if (fileName.endsWith(".sql")) {
            scripts.put(OTHER, fileName);
        }
    }

    /** Flyway writes V1_2 as version "1.2". */
    private static String normalise(String version) {
        return version.replace('_', '.');
    }
}
