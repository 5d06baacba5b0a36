package dev.portcullis.web;

import dev.portcullis.tenant.Realm;
import dev.portcullis.token.ProofKey;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * The token endpoint's check of a proof of possession (DPoP, RFC 9449): which key, if any, the request proves
 * the client holds. A request without a proof is an ordinary Bearer token request and is left exactly as it was.
 */
@FunctionalInterface
public interface ProofOfPossession {

    /** For a server without the capability: every request is a Bearer token request. */
    ProofOfPossession NONE = (ctx, realm) -> Optional.empty();

    /**
     * The key the token request at {@code realm}'s token endpoint proves; empty when it carries no proof.
     * A proof that fails a check is refused with an {@link dev.portcullis.protocol.OAuthException}.
     */
    Optional<ProofKey> verify(Context ctx, Realm realm);
}
