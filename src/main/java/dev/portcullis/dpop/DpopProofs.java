package dev.portcullis.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.AccessTokenValidationException;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProtectedResourceRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPTokenRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InvalidDPoPProofException;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.util.singleuse.SingleUseChecker;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.portcullis.Core;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.Realm;
import dev.portcullis.token.ProofKey;

import java.net.URI;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks DPoP proofs (RFC 9449 section 4.3) with Nimbus' verifiers: exactly one DPoP header, holding a JWT of
 * typ {@code dpop+jwt} signed with an accepted asymmetric algorithm ({@link DpopAlgorithms}) by the public key in
 * its own {@code jwk} header (a private key there fails to parse), for this request's method and this server's
 * URL of the endpoint, with an {@code iat} within {@link #IAT_WINDOW_SECONDS} of now, a {@code jti} no instance
 * accepted before ({@link ProofReplays}), and the server's nonce where the realm asks for one ({@link DpopNonces}).
 * A resource request's proof must also hash the access token ({@code ath}) and be signed by the key the token is
 * bound to.
 */
public final class DpopProofs {

    /** How far a proof's iat may be from now, either way: room for clock skew and a slow network, little for replay. */
    public static final long IAT_WINDOW_SECONDS = 60;
    /** A proof with an RSA-4096 key in its header is about 2,100 characters; twice that is no proof. */
    static final int MAX_PROOF_LENGTH = 4 * 1024;

    private final SingleUseChecker<Map.Entry<DPoPIssuer, JWTID>> replays;
    private final DpopNonces nonces;
    private final String publicUrl;

    DpopProofs(SingleUseChecker<Map.Entry<DPoPIssuer, JWTID>> replays, DpopNonces nonces, String publicUrl) {
        this.replays = replays;
        this.nonces = nonces;
        this.publicUrl = publicUrl;
    }

    /** The checks every instance on the same database and master key agrees on: one replay table, one nonce key. */
    public static DpopProofs of(Core core) {
        return new DpopProofs(new ProofReplays(core.sql(), core.clock(), IAT_WINDOW_SECONDS), nonces(core), core.publicUrl());
    }

    static DpopNonces nonces(Core core) {
        return new DpopNonces(core.masterKey().derive("dpop-nonce"), core.clock());
    }

    /**
     * The key a token request at {@code realm}'s token endpoint proves, from the values of its DPoP headers; empty
     * when it sent none. With {@code nonceRequired}, a proof without a fresh nonce of ours gets {@code use_dpop_nonce}
     * and one to use; any other failure is {@code invalid_dpop_proof} (RFC 9449 sections 5 and 8).
     */
    public Optional<ProofKey> tokenRequest(List<String> headers, Realm realm, boolean nonceRequired) {
        return authorizationServerRequest(headers, realm, "/oauth2/token", nonceRequired);
    }

    /**
     * The same for a POST to another endpoint of the authorization server at {@code path} of {@code realm} (a pushed
     * authorization request's, RFC 9449 section 10.1, binds the code to the proof's key as dpop_jkt does).
     */
    public Optional<ProofKey> authorizationServerRequest(List<String> headers, Realm realm, String path, boolean nonceRequired) {
        if (headers.isEmpty()) {
            return Optional.empty();
        }
        URI endpoint = URI.create(realm.issuer(publicUrl) + path);
        Proof proof = parse(headers, OAuthException::invalidDpopProof);
        Nonce nonce = expectedNonce(proof, nonceRequired);
        try {
            new DPoPTokenRequestVerifier(DpopAlgorithms.SET, ProofTarget.comparedWith(proof.claim("htu"), endpoint),
                    IAT_WINDOW_SECONDS, replays).verify(new DPoPIssuer(proof.key().jkt()), proof.jwt(), nonce);
        } catch (InvalidDPoPProofException e) {
            throw OAuthException.invalidDpopProof(describe(e));
        } catch (JOSEException e) {
            throw OAuthException.invalidDpopProof("the DPoP proof's signature could not be checked with its jwk");
        }
        return Optional.of(proof.key());
    }

    /**
     * Checks the proof that came with a DPoP-bound access token to one of this server's own resources (the userinfo
     * endpoint at {@code path} of {@code realm}): {@code boundKey} is the token's {@code cnf.jkt}. Refusals are the
     * resource's 401s with a DPoP challenge (RFC 9449 section 7.1); resources ask for no nonce.
     */
    public void resourceRequest(List<String> headers, String method, Realm realm, String path, String accessToken,
                                String boundKey) {
        String realmName = realm.issuer(publicUrl);
        Function<String, OAuthException> refuse = description -> OAuthException.dpop(
                dev.portcullis.protocol.OAuthError.INVALID_DPOP_PROOF, description, realmName, DpopAlgorithms.spaceSeparated());
        if (headers.isEmpty()) {
            throw refuse.apply("a DPoP-bound access token needs a DPoP proof in the DPoP header");
        }
        URI resource = URI.create(realmName + path);
        Proof proof = parse(headers, refuse);
        try {
            new DPoPProtectedResourceRequestVerifier(DpopAlgorithms.SET, IAT_WINDOW_SECONDS, replays).verify(method,
                    ProofTarget.comparedWith(proof.claim("htu"), resource), new DPoPIssuer(proof.key().jkt()), proof.jwt(),
                    new DPoPAccessToken(accessToken), new JWKThumbprintConfirmation(new Base64URL(boundKey)),
                    proof.claim("nonce") instanceof String sent ? new Nonce(sent) : null);
        } catch (InvalidDPoPProofException e) {
            throw refuse.apply(describe(e));
        } catch (AccessTokenValidationException e) {
            throw OAuthException.dpop(dev.portcullis.protocol.OAuthError.INVALID_TOKEN, e.getMessage(), realmName,
                    DpopAlgorithms.spaceSeparated());
        } catch (JOSEException e) {
            throw refuse.apply("the DPoP proof's signature could not be checked with its jwk");
        }
    }

    /** A proof parsed, before any check that costs a signature verification or a database write. */
    private record Proof(SignedJWT jwt, ProofKey key, Map<String, Object> claims) {
        Object claim(String name) {
            return claims.get(name);
        }
    }

    private static Proof parse(List<String> headers, Function<String, OAuthException> refuse) {
        if (headers.size() > 1 || headers.get(0).indexOf(',') >= 0) {
            throw refuse.apply("send exactly one DPoP header with one proof (RFC 9449 section 4.3)");
        }
        String value = headers.get(0).strip();
        if (value.length() > MAX_PROOF_LENGTH) {
            throw refuse.apply("the DPoP proof is longer than " + MAX_PROOF_LENGTH + " characters");
        }
        SignedJWT jwt;
        Map<String, Object> claims;
        try {
            jwt = SignedJWT.parse(value);
            claims = jwt.getJWTClaimsSet().toJSONObject();
        } catch (ParseException e) {
            // alg none, a private or symmetric key in jwk and anything not a compact JWS all end here
            throw refuse.apply("the DPoP header is not a JWT signed with a public key in its jwk header: " + e.getMessage());
        }
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!DpopAlgorithms.SET.contains(algorithm)) {
            throw refuse.apply("DPoP proofs signed with " + algorithm + " are not accepted; use one of "
                    + String.join(", ", DpopAlgorithms.names()));
        }
        JWK jwk = jwt.getHeader().getJWK();
        if (jwk == null) {
            throw refuse.apply("the DPoP proof has no jwk header with the public key that signed it");
        }
        try {
            return new Proof(jwt, new ProofKey(jwk.computeThumbprint().toString()), claims);
        } catch (JOSEException e) {
            throw refuse.apply("the DPoP proof's jwk has no thumbprint");
        }
    }

    /**
     * The nonce Nimbus is to require: with nonces on, the proof's own nonce once we know it is ours and fresh; with
     * them off, whatever nonce the proof carries (one left over from when they were on is no reason to refuse it).
     */
    private Nonce expectedNonce(Proof proof, boolean nonceRequired) {
        Object sent = proof.claim("nonce");
        if (nonceRequired && !(sent instanceof String value && nonces.accepts(value))) {
            throw OAuthException.useDpopNonce(sent == null ? "this authorization server requires a nonce in DPoP proofs: "
                    + "use the one in the DPoP-Nonce header" : "the DPoP proof's nonce is stale or not this server's: "
                    + "use the one in the DPoP-Nonce header", nonces.current());
        }
        return sent instanceof String value ? new Nonce(value) : null;
    }

    /** Nimbus' reason, which names the failed check ("Invalid DPoP proof: The jti was used before: ..."). */
    private static String describe(InvalidDPoPProofException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String reason = message.startsWith("Invalid DPoP proof: ") ? message.substring("Invalid DPoP proof: ".length()) : message;
        return "the DPoP proof is invalid: " + reason;
    }
}
