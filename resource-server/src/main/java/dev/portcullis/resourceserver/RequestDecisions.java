package dev.portcullis.resourceserver;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How {@link ResourceServer} answers one request: the Authorization header's scheme and token, the token's checks,
 * for a DPoP-bound token its proof, then the operation's rule; each refusal in the scheme the token came with.
 */
final class RequestDecisions {

    /** RFC 6750 section 2.1's b64token, which RFC 9449 section 7.1 uses for DPoP tokens too. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    /** Far above any Portcullis token, far below what would cost anything to refuse. */
    private static final int MAX_TOKEN_LENGTH = 16_384;

    private final TokenChecks checks;
    private final DpopProofChecks proofs;
    private final String realm;
    private final int retryAfterSeconds;

    RequestDecisions(TokenChecks checks, DpopProofChecks proofs, String realm, int retryAfterSeconds) {
        this.checks = checks;
        this.proofs = proofs;
        this.realm = realm;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** {@code request} is null for a caller that gave only the Authorization header: then only Bearer tokens pass. */
    Decision decide(ResourceRequest request, String authorizationHeader, AccessRule rule) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return Decision.noToken(realm);
        }
        String header = authorizationHeader.strip();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        boolean dpop = request != null && scheme.equalsIgnoreCase("DPoP");
        if (!dpop && !scheme.equalsIgnoreCase("Bearer")) {
            // another scheme (Basic, say) is no access token at all: the challenge says which scheme to use
            return Decision.noToken(realm);
        }
        String token = space < 0 ? "" : header.substring(space + 1).strip();
        if (token.length() > MAX_TOKEN_LENGTH) {
            return invalidToken(dpop, "the token is longer than any access token");
        }
        if (!B64TOKEN.matcher(token).matches()) {
            return Decision.invalidRequest(realm, "the Authorization header must be 'Bearer' (or 'DPoP') followed by one "
                    + "access token");
        }
        AccessToken accessToken;
        try {
            accessToken = checks.verify(token);
        } catch (InvalidTokenException e) {
            return invalidToken(dpop, e.getMessage());
        } catch (IssuerUnavailableException e) {
            return Decision.issuerUnavailable(retryAfterSeconds);
        }
        Optional<Decision> unproven = proofOfPossession(request, dpop, token, accessToken);
        if (unproven.isPresent()) {
            return unproven.get();
        }
        Optional<AccessRule.Refusal> refusal = rule.check(accessToken);
        if (refusal.isPresent()) {
            return Decision.insufficientScope(dpop ? "DPoP" : "Bearer", realm, refusal.get().description(),
                    refusal.get().requiredScopes());
        }
        return Decision.allowed(accessToken);
    }

    /** RFC 9449 section 7: a bound token only with the DPoP scheme and a proof of its key; the DPoP scheme only for one. */
    private Optional<Decision> proofOfPossession(ResourceRequest request, boolean dpop, String token, AccessToken accessToken) {
        Optional<String> bound = accessToken.dpopThumbprint();
        if (!dpop) {
            return bound.map(key -> Decision.dpop(realm, "invalid_token", "the token is DPoP-bound: send it as Authorization: "
                    + "DPoP <token> with a DPoP proof of its key", DpopProofChecks.algorithms()));
        }
        if (bound.isEmpty()) {
            return Optional.of(invalidToken(true, "the token is not DPoP-bound: send it as Authorization: Bearer <token>"));
        }
        try {
            proofs.check(request, token, bound.get());
            return Optional.empty();
        } catch (InvalidTokenException e) {
            return Optional.of(invalidToken(true, e.getMessage()));
        } catch (InvalidDpopProofException e) {
            return Optional.of(e.retryLater() ? Decision.unavailable(e.getMessage(), 1)
                    : Decision.dpop(realm, "invalid_dpop_proof", e.getMessage(), DpopProofChecks.algorithms()));
        }
    }

    private Decision invalidToken(boolean dpop, String description) {
        return dpop ? Decision.dpop(realm, "invalid_token", description, DpopProofChecks.algorithms())
                : Decision.invalidToken(realm, description);
    }

}
