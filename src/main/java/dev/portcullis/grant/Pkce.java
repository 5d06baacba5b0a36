package dev.portcullis.grant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/** RFC 7636 Proof Key for Code Exchange, S256 only. */
public final class Pkce {

    /** 43-128 characters of the unreserved set (RFC 7636 section 4.1). */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    /** BASE64URL(SHA256(verifier)) without padding is always 43 characters. */
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9\\-_]{43}");

    private Pkce() {
    }

    public static boolean isValidVerifier(String verifier) {
        return VERIFIER.matcher(verifier).matches();
    }

    public static boolean isValidChallenge(String challenge) {
        return CHALLENGE.matcher(challenge).matches();
    }

    public static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Whether {@code verifier} answers {@code challenge}, compared in constant time. */
    public static boolean verifies(String verifier, String challenge) {
        return MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII));
    }
}
