package dev.portcullis.dpop;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Server-provided DPoP nonces (RFC 9449 section 8), kept nowhere: a nonce is a time window's number and its
 * HMAC under a key every instance derives from the master key, so any instance accepts another's nonce without
 * a lookup. A nonce is good in its own window and the ones either side of it (a {@value #WINDOW_SECONDS}-second
 * window, so 10 to 15 minutes), which also tolerates instances whose clocks differ by less than a window.
 */
public final class DpopNonces {

    static final long WINDOW_SECONDS = 300;
    private static final int MAC_BYTES = 16;
    /** 8 bytes of window and 16 of MAC, base64url without padding. */
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{32}");

    private final SecretKey key;
    private final Clock clock;

    public DpopNonces(SecretKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** The nonce to hand out now. */
    public String current() {
        return nonce(window());
    }

    /** Whether {@code nonce} is one of ours and still fresh, compared in constant time. */
    public boolean accepts(String nonce) {
        if (nonce == null || !FORM.matcher(nonce).matches()) {
            return false;
        }
        byte[] bytes = Base64.getUrlDecoder().decode(nonce);
        long window = ByteBuffer.wrap(bytes, 0, Long.BYTES).getLong();
        long now = window();
        if (window < now - 1 || window > now + 1) {
            return false;
        }
        return MessageDigest.isEqual(Arrays.copyOfRange(bytes, Long.BYTES, bytes.length), mac(window));
    }

    private long window() {
        return clock.instant().getEpochSecond() / WINDOW_SECONDS;
    }

    private String nonce(long window) {
        ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES + MAC_BYTES);
        bytes.putLong(window).put(mac(window));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private byte[] mac(long window) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update("portcullis/dpop-nonce/".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return Arrays.copyOf(mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(window).array()), MAC_BYTES);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("the DPoP nonce key is not an HMAC key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
