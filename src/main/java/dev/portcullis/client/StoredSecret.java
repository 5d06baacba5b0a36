package dev.portcullis.client;

import java.util.List;
import java.util.OptionalLong;

/**
 * A client secret as stored: its name (unique per client, as in eGain's console), only its hash,
 * never the value. {@code legacyHash} marks a plain SHA-256 written before secrets were keyed
 * ({@link ClientSecretHasher}); start-up upgrades those.
 */
public record StoredSecret(String id, String name, byte[] hash, long createdAt, OptionalLong expiresAt, boolean legacyHash) {

    /** Names given to secrets that were not named: the first and second secret of a client. */
    public static final List<String> DEFAULT_NAMES = List.of("primary", "secondary");
    public static final int MAX_NAME_LENGTH = 64;

    public boolean isExpiredAt(long epochSecond) {
        return expiresAt.isPresent() && expiresAt.getAsLong() <= epochSecond;
    }
}
