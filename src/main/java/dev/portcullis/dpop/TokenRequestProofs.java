package dev.portcullis.dpop;

import dev.portcullis.tenant.Realm;
import dev.portcullis.token.ProofKey;
import dev.portcullis.web.ProofOfPossession;
import io.javalin.http.Context;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The token endpoint's DPoP check: the key its DPoP header proves, if it has one. Where the realm's tenant asks
 * for nonces, each successful DPoP response carries a fresh one in {@code DPoP-Nonce} (RFC 9449 section 8.2), so
 * a client never has to fail once to learn the next.
 */
final class TokenRequestProofs implements ProofOfPossession {

    static final String NONCE_HEADER = "DPoP-Nonce";

    private final DpopProofs proofs;
    private final DpopNonces nonces;
    private final Predicate<Realm> nonceRequired;

    TokenRequestProofs(DpopProofs proofs, DpopNonces nonces, Predicate<Realm> nonceRequired) {
        this.proofs = proofs;
        this.nonces = nonces;
        this.nonceRequired = nonceRequired;
    }

    @Override
    public Optional<ProofKey> verify(Context ctx, Realm realm) {
        boolean nonce = nonceRequired.test(realm);
        Optional<ProofKey> key = proofs.tokenRequest(headers(ctx), realm, nonce);
        if (key.isPresent() && nonce) {
            ctx.header(NONCE_HEADER, nonces.current());
        }
        return key;
    }

    /** Every value of the request's DPoP headers, so that a repeated header is seen and refused. */
    static List<String> headers(Context ctx) {
        var values = ctx.req().getHeaders("DPoP");
        return values == null ? List.of() : Collections.list(values);
    }
}
