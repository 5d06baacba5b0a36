package dev.portcullis.token;

import java.util.Optional;

/**
 * When and in which browser session the user authenticated: what an ID token states as
 * {@code auth_time} and {@code sid}. The {@code nonce} belongs to one authorization request, so only
 * the code's own token response repeats it (OpenID Connect Core 12.2: a refresh's ID token has none).
 *
 * @param sessionId an opaque id derived from the browser session, never its cookie or the cookie's hash
 */
public record SignInEvent(long authTime, String sessionId, Optional<String> nonce) {

    public SignInEvent withoutNonce() {
        return new SignInEvent(authTime, sessionId, Optional.empty());
    }
}
