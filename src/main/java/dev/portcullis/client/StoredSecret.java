package dev.portcullis.client;

import java.util.OptionalLong;

/** A client secret as stored: only its SHA-256, never the value. */
public record StoredSecret(String id, byte[] hash, long createdAt, OptionalLong expiresAt) {

    public boolean isExpiredAt(long epochSecond) {
        return expiresAt.isPresent() && expiresAt.getAsLong() <= epochSecond;
    }
}
