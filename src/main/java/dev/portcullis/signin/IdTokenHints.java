package dev.portcullis.signin;

import dev.portcullis.tenant.Realm;

import java.util.Optional;

/**
 * Checks the {@code id_token_hint} of an OpenID RP-Initiated Logout request. A hint that is an ID
 * token this realm issued, naming the signed-in subject, lets the logout proceed without asking
 * the user; any other request gets the confirmation page, whose form carries the CSRF token.
 */
@FunctionalInterface
interface IdTokenHints {

    /** Who and for which client an ID token was issued. */
    record Hint(String subjectId, String clientId) {
    }

    /** The hint's subject and client when it is a valid ID token of this realm; empty otherwise. */
    Optional<Hint> verify(Realm realm, String idTokenHint);

    /**
     * Portcullis issues no ID tokens yet (OpenID Connect comes later), so no hint can be valid and
     * every logout is confirmed by the user. The ID token issuer will replace this with a verifier.
     */
    IdTokenHints NONE_ISSUED = (realm, idTokenHint) -> Optional.empty();
}
