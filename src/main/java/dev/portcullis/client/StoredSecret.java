package dev.portcullis.client;

import java.util.OptionalLong;

/**
 * A client secret as stored: only its hash, never the value. {@code legacyHash} marks a plain
 * SHA-256 written before secrets were keyed ({@link ClientSecretHasher}); start-up upgrades those.
 */
public record StoredSecret(String id, byte[] hash, long createdAt, OptionalLong expiresAt, boolean legacyHash) {

    public boolean isExpiredAt(long epochSecond) {
        return expiresAt.isPresent() && expiresAt.getAsLong() <= epochSecond;
    }
}
