package dev.portcullis.dpop;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import dev.portcullis.web.ProofOfPossession;

import java.util.Optional;

/**
 * DPoP (RFC 9449): a token request with a valid DPoP proof gets an access token bound to the proof's key
 * ({@code cnf.jkt}, {@code token_type: DPoP}); a public client's refresh tokens and a code requested with
 * {@code dpop_jkt} are bound to it too. A request without a DPoP header is an ordinary Bearer request. The
 * grant handlers check bindings; this capability checks the proofs, with one replay table and one nonce key
 * shared by every instance.
 */
public final class Dpop implements Feature {

    private final TokenRequestProofs tokenRequests;

    public Dpop(Core core) {
        // the tenant's dpop: { nonce: true } makes its token endpoints demand server nonces in proofs
        this.tokenRequests = new TokenRequestProofs(DpopProofs.of(core), DpopProofs.nonces(core),
                realm -> realm.tenant().authorization().dpopNonce());
    }

    @Override
    public Optional<ProofOfPossession> proofOfPossession() {
        return Optional.of(tokenRequests);
    }
}
