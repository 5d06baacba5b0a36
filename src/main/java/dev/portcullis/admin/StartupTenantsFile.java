package dev.portcullis.admin;

import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The tenants file {@code serve} applies at start, applied only when something may differ: the file's bytes (and
 * this build) since the last apply at start, or the configuration since then (its revision moved: a CLI command, the
 * admin API, another instance). An unchanged file on an unchanged configuration would change nothing, yet parsing
 * and comparing it costs time that grows with the tenants it holds (ten thousand tenants take seconds), and checking
 * a user's plain-text password against its stored hash costs an Argon2 verification each start; so it is skipped.
 * The digest and revision are recorded in the apply's own transaction (also by {@code portcullis apply}), so they
 * always describe a committed apply.
 */
final class StartupTenantsFile {

    private static final Logger LOG = LoggerFactory.getLogger(StartupTenantsFile.class);

    /** What happened at start: applied (with the apply's result) or skipped as unchanged. */
    record Outcome(Optional<TenantsFileApplier.Result> applied) {
        boolean skipped() {
            return applied.isEmpty();
        }
    }

    private StartupTenantsFile() {
    }

    static Outcome apply(Path file, Sql sql, TenantsFileApplier applier, Clock clock) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TenantsFileException("cannot read tenants file " + file + ": " + e.getMessage());
        }
        String digest = digest(bytes);
        Optional<Long> appliedAt = sql.queryOne("SELECT revision FROM tenants_file_state WHERE id = 1 AND digest = ?",
                row -> row.getLong(1), digest);
        if (appliedAt.isPresent() && appliedAt.get() == ConfigRevision.current(sql)) {
            LOG.info("Tenants file {} unchanged since it was applied, nor the configuration (revision {}): not applied again",
                    file, appliedAt.get());
            return new Outcome(Optional.empty());
        }
        TenantsFile parsed = TenantsFileParser.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
        TenantsFileApplier.Result result = applier.apply(parsed, TenantsFileApplier.Options.APPLY, tx -> record(tx, bytes, clock));
        return new Outcome(Optional.of(result));
    }

    /**
     * Records, inside the transaction {@code tx} that applied the file {@code bytes} (at start or by {@code apply}),
     * that the configuration at its revision now holds that file.
     */
    static void record(Sql tx, byte[] bytes, Clock clock) {
        // one statement that both stores take, and safe when two instances start at once with a new file
        tx.update("INSERT INTO tenants_file_state (id, digest, revision, applied_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) "
                        + "DO UPDATE SET digest = excluded.digest, revision = excluded.revision, applied_at = excluded.applied_at",
                digest(bytes), ConfigRevision.current(tx), clock.instant().getEpochSecond());
    }

    /**
     * SHA-256 of the file and of this build (its version and the time its jar or class was built), so a new
     * release, or a new build of one, applies the file again.
     */
    static String digest(byte[] bytes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("portcullis " + StartupTenantsFile.class.getPackage().getImplementationVersion() + " " + built() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            sha.update(bytes);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long built() {
        try {
            java.security.CodeSource source = StartupTenantsFile.class.getProtectionDomain().getCodeSource();
            return source == null ? 0 : Files.getLastModifiedTime(Path.of(source.getLocation().toURI())).toMillis();
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            return 0;
        }
    }
}
