package dev.portcullis.signin;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The {@code sid} an ID token names a browser session by: HMAC-SHA-256(key, the session row's id
 * hash), 128 bits in base64url. Stable for the session's life on every instance, yet neither the
 * cookie nor the hash the database keeps can be recovered from it, so a client that logs an ID
 * token learns nothing that could find or replay the session.
 */
final class SessionIdentifiers {

    private final SecretKey key;

    SessionIdentifiers(SecretKey key) {
        this.key = key;
    }

    String of(BrowserSessions.Session session) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal(session.idHash().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(tag, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
