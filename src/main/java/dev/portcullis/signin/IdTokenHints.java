package dev.portcullis.signin;

import dev.portcullis.tenant.Realm;

import java.util.Optional;

/**
 * Checks an {@code id_token_hint}. At logout (RP-Initiated Logout 1.0), a hint that is an ID token
 * this realm issued, naming the signed-in subject, lets the logout proceed without asking the user;
 * any other request gets the confirmation page, whose form carries the CSRF token. At authorize, a
 * hint naming someone else than the signed-in user asks for a new sign-in.
 */
@FunctionalInterface
public interface IdTokenHints {

    /** Who and for which client an ID token was issued. */
    record Hint(String subjectId, String clientId) {
    }

    /** The hint's subject and client when it is a valid ID token of this realm; empty otherwise. */
    Optional<Hint> verify(Realm realm, String idTokenHint);
}
