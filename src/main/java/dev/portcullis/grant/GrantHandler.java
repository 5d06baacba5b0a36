package dev.portcullis.grant;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.tenant.Realm;
import dev.portcullis.token.ProofKey;
import dev.portcullis.token.TokenGrant;

import java.util.Optional;

/**
 * One grant type at the token endpoint. The endpoint runs every handler through the same
 * script: {@link #parse} the form into an immutable request, authenticate the client, then
 * {@link #grant}; the token issuer signs whatever the handler decided. A request with a valid DPoP proof gets
 * a token bound to the proven key whatever the grant; a handler looks at the key only where its grant is bound
 * to one already (a code requested with dpop_jkt, a bound refresh token, a bound token to exchange).
 *
 * @param <R> the grant's request object
 */
public interface GrantHandler<R> {

    /** The {@code grant_type} value this handler answers. */
    String grantType();

    /** Whether a public (spa or native) client may use this grant without a secret. */
    boolean allowsPublicClients();

    /** Validates the grant's own parameters; throws invalid_request before anything is looked up. */
    R parse(FormParameters form, Realm realm);

    /**
     * Decides the token for an authenticated client, or refuses with an OAuth error; {@code proofKey} is the key
     * the request's DPoP proof showed the client holds, empty for a request without one.
     */
    TokenGrant grant(R request, ClientApplication client, Realm realm, Optional<ProofKey> proofKey);
}
