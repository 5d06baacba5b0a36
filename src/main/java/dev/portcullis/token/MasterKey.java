package dev.portcullis.token;

import dev.portcullis.config.ConfigException;
import dev.portcullis.store.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The 256-bit key that encrypts signing keys at rest. It comes from configuration; only the
 * embedded SQLite default may generate one, into the data directory with mode 0600, because
 * several instances on PostgreSQL must all be given the same key.
 */
public final class MasterKey {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    static final String FILE_NAME = "master.key";

    private final SecretKey key;

    private MasterKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "AES");
    }

    public SecretKey secretKey() {
        return key;
    }

    /**
     * A 256-bit key for one purpose (e.g. {@code "client-secret-hmac"}), derived as
     * HMAC-SHA-256(master key, "portcullis/" + purpose): the single-block form of HKDF-Expand and of
     * NIST SP 800-108's HMAC KDF. Every instance given the same master key derives the same keys,
     * and no derived key reveals the master key or another purpose's key.
     */
    public SecretKey derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal(("portcullis/" + purpose).getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    public static MasterKey decode(String encoded) {
        String trimmed = encoded.trim();
        byte[] bytes;
        try {
            bytes = trimmed.contains("-") || trimmed.contains("_")
                    ? Base64.getUrlDecoder().decode(trimmed.replace("=", ""))
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("master_key must be 32 bytes encoded as base64 or base64url");
        }
        if (bytes.length != 32) {
            throw new ConfigException("master_key must be 32 bytes (it decodes to " + bytes.length
                    + "); make one with: openssl rand -base64 32");
        }
        return new MasterKey(bytes);
    }

    /** The key {@code config} names: its master_key, or the embedded default's master.key file. */
    public static MasterKey of(dev.portcullis.config.ServerConfig config) {
        return resolve(config.masterKey(), config.sqliteDataDirectory());
    }

    /**
     * The configured key, or for the embedded default the one kept in {@code dataDirectory/master.key},
     * created on first start.
     */
    public static MasterKey resolve(Optional<String> configured, Optional<Path> dataDirectory) {
        if (configured.isPresent()) {
            return decode(configured.get());
        }
        Path directory = dataDirectory.orElseThrow(() -> new ConfigException(
                "master_key is required with this database: give every instance the same 32-byte key "
                        + "(config master_key or env PORTCULLIS_MASTER_KEY; make one with: openssl rand -base64 32)"));
        Path file = directory.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                PrivateFiles.createDirectories(directory);
                byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                try {
                    PrivateFiles.createFile(file);
                    Files.writeString(file, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII);
                    LOG.info("Generated a master key at {} (mode 0600); keep it with the database", file);
                } catch (FileAlreadyExistsException raced) {
                    LOG.debug("Another process created {} first", file);
                }
            } else {
                refuseIfShared(file);
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, e);
        }
    }

    /** Anyone who can read the key can decrypt every signing key in a copy of the database. */
    private static void refuseIfShared(Path file) throws IOException {
        Optional<String> mode = PrivateFiles.sharedMode(file);
        if (mode.isPresent()) {
            throw new ConfigException("the master key " + file + " is readable or writable by other users (mode " + mode.get()
                    + "); restrict it with: chmod 600 " + file);
        }
    }
}
