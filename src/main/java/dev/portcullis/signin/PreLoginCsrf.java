package dev.portcullis.signin;

import dev.portcullis.client.SecretHasher;
import dev.portcullis.tenant.Realm;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The login form's CSRF token for a visitor who is not signed in, kept in no database row: the
 * session cookie then holds a random value that names no session, and the token is
 * HMAC-SHA-256(key, realm id + cookie value). Only this server (every instance sharing the master
 * key) can compute it, and it is bound to the cookie: a page cannot post the form for a browser
 * whose cookie it does not know. Knowing a cookie value gains nothing more, because signing in
 * always issues a fresh session id.
 */
final class PreLoginCsrf {

    /** The shape of {@link SecretHasher#generate()}; anything else in the cookie is replaced, not signed. */
    private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecretKey key;

    PreLoginCsrf(SecretKey key) {
        this.key = key;
    }

    static boolean usableCookieValue(String cookieValue) {
        return cookieValue != null && COOKIE_VALUE.matcher(cookieValue).matches();
    }

    static String newCookieValue() {
        return SecretHasher.generate();
    }

    /** The token for this realm and cookie value, which must be {@link #usableCookieValue usable}. */
    String token(Realm realm, String cookieValue) {
        if (!usableCookieValue(cookieValue)) {
            throw new IllegalArgumentException("not a pre-login cookie value");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            // The realm id never contains a newline, so realm and cookie value cannot run into each other.
            byte[] tag = mac.doFinal((realm.id() + "\n" + cookieValue).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    /** Whether {@code sent} is the token of this realm and cookie value, compared in constant time. */
    boolean matches(Realm realm, String cookieValue, String sent) {
        if (!usableCookieValue(cookieValue) || sent == null) {
            return false;
        }
        return MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                token(realm, cookieValue).getBytes(StandardCharsets.UTF_8));
    }

    /** The cookie value to sign for a visitor without a session: the one the browser holds, if usable. */
    static Optional<String> heldCookieValue(String cookieValue) {
        return Optional.ofNullable(cookieValue).filter(PreLoginCsrf::usableCookieValue);
    }
}
