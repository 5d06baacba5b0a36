package dev.portcullis.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * High-entropy values (client secrets, authorization codes, refresh tokens, session ids) are
 * 256-bit random values, so a plain SHA-256 is as strong as a slow hash and keeps the token
 * endpoint fast; peers that bcrypt machine secrets collapse to ~100 tokens/s. Comparison is
 * constant-time.
 */
public final class SecretHasher {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The shortest secret accepted from a tenants file; generated ones are 43 characters. */
    public static final int MINIMUM_SECRET_LENGTH = 32;

    private SecretHasher() {
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public static boolean matches(String secret, byte[] expectedHash) {
        return MessageDigest.isEqual(hash(secret), expectedHash);
    }

    /** A new secret: 256 random bits, base64url without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The stored form of a high-entropy value: base64 of its SHA-256. */
    public static String storedHash(String value) {
        return encode(hash(value));
    }

    public static String encode(byte[] hash) {
        return Base64.getEncoder().encodeToString(hash);
    }

    public static byte[] decode(String stored) {
        return Base64.getDecoder().decode(stored);
    }
}
