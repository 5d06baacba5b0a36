package dev.portcullis.resourceserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * RFC 9449 section 7's checks of the proof that comes with a DPoP-bound token, with Nimbus JOSE+JWT's processor:
 * one DPoP header holding a JWT of typ {@code dpop+jwt}, signed with an asymmetric algorithm by the public key in
 * its own {@code jwk} header (Nimbus refuses a private key there while parsing), naming this request's method and
 * URL, issued within the window of now, hashing this access token ({@code ath}), signed by the key the token is bound
 * to ({@code cnf.jkt}), and not seen before by this instance ({@link ProofReplayCache}).
 */
final class DpopProofChecks {

    /** Asymmetric only (none and MACs are forbidden); ES256K is left out because Java 17 has no secp256k1 curve. */
    static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);
    /** A proof with an RSA-4096 key in its header is about 2,100 characters; twice that is no proof. */
    static final int MAX_PROOF_LENGTH = 4096;
    private static final JOSEObjectType DPOP_JWT = new JOSEObjectType("dpop+jwt");

    private final Duration window;
    private final Clock clock;
    private final ProofReplayCache replays;
    private final URI publicBaseUrl;

    DpopProofChecks(Duration window, int maxCachedProofs, URI publicBaseUrl, Clock clock) {
        this.window = window;
        this.clock = clock;
        // a proof passes from one window before its iat to one window after
        this.replays = new ProofReplayCache(maxCachedProofs, 2 * window.toSeconds() + 1, clock);
        this.publicBaseUrl = publicBaseUrl;
    }

    /** The {@code algs} of this API's DPoP challenges. */
    static String algorithms() {
        return ALGORITHMS.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(" "));
    }

    /**
     * Checks the request's proof for {@code accessToken}, which is bound to {@code boundThumbprint}; a proof by
     * another key than the token's is an {@link InvalidTokenException}: the token is not this caller's.
     */
    void check(ResourceRequest request, String accessToken, String boundThumbprint)
            throws InvalidDpopProofException, InvalidTokenException {
        SignedJWT proof = parse(request.dpopProofs());
        JWTClaimsSet claims = verified(proof, request.method());
        if (!sameResource(claims.getClaim("htu"), target(request.url()))) {
            throw new InvalidDpopProofException("the proof's htu " + claims.getClaim("htu") + " is not this request's URL "
                    + target(request.url()));
        }
        Instant iat = claims.getIssueTime().toInstant();
        Instant now = clock.instant();
        if (iat.isBefore(now.minus(window)) || iat.isAfter(now.plus(window))) {
            throw new InvalidDpopProofException("the proof's iat " + iat + " is more than " + window.toSeconds()
                    + " seconds from now");
        }
        if (!MessageDigest.isEqual(ascii(String.valueOf(claims.getClaim("ath"))), ascii(sha256(accessToken)))) {
            throw new InvalidDpopProofException("the proof's ath is not the hash of this access token");
        }
        String thumbprint = thumbprint(proof.getHeader().getJWK());
        if (!MessageDigest.isEqual(ascii(thumbprint), ascii(boundThumbprint))) {
            throw new InvalidTokenException("the access token is bound to another key than the one that signed the DPoP proof");
        }
        switch (replays.add(thumbprint, claims.getJWTID())) {
            case REPLAYED -> throw new InvalidDpopProofException("the proof was used before; make a new one for each request");
            case FULL -> throw new InvalidDpopProofException("this API has no room to remember more proofs now; retry shortly",
                    true);
            default -> {
            }
        }
    }

    private static SignedJWT parse(List<String> proofs) throws InvalidDpopProofException {
        if (proofs.isEmpty()) {
            throw new InvalidDpopProofException("a DPoP-bound token needs a DPoP proof in the DPoP header");
        }
        if (proofs.size() > 1 || proofs.get(0).indexOf(',') >= 0) {
            throw new InvalidDpopProofException("send exactly one DPoP header with one proof");
        }
        String value = proofs.get(0).strip();
        if (value.length() > MAX_PROOF_LENGTH) {
            throw new InvalidDpopProofException("the DPoP proof is longer than " + MAX_PROOF_LENGTH + " characters");
        }
        try {
            return SignedJWT.parse(value);
        } catch (ParseException e) {
            // alg none, a private or symmetric key in jwk and anything not a compact JWS all end here
            throw new InvalidDpopProofException("the DPoP header is not a JWT signed with a public key in its jwk header: "
                    + e.getMessage());
        }
    }

    /** Type, key, signature, htm and the claims every proof has, by Nimbus' processor. */
    private static JWTClaimsSet verified(SignedJWT proof, String method) throws InvalidDpopProofException {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(DPOP_JWT));
        processor.setJWSKeySelector((header, context) -> List.of(embeddedKey(header.getAlgorithm(), header.getJWK())));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new JWTClaimsSet.Builder().claim("htm", method).build(),
                Set.of("jti", "iat", "htu", "ath")));
        try {
            return processor.process(proof, null);
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidDpopProofException("the DPoP proof is invalid: " + e.getMessage());
        }
    }

    /** The public key the proof names for itself, if its algorithm is accepted and fits the key. */
    private static Key embeddedKey(JWSAlgorithm algorithm, JWK jwk) throws KeySourceException {
        if (!ALGORITHMS.contains(algorithm)) {
            throw new KeySourceException("proofs signed with " + algorithm + " are not accepted; use one of " + algorithms());
        }
        try {
            if (JWSAlgorithm.Family.RSA.contains(algorithm) && jwk instanceof RSAKey rsa) {
                return rsa.toRSAPublicKey();
            }
            if (JWSAlgorithm.Family.EC.contains(algorithm) && jwk instanceof ECKey ec) {
                return ec.toECPublicKey();
            }
        } catch (JOSEException e) {
            throw new KeySourceException("the proof's jwk is not a valid key: " + e.getMessage(), e);
        }
        throw new KeySourceException(jwk == null ? "the proof has no jwk header with the key that signed it"
                : "the proof's jwk (" + jwk.getKeyType() + ") does not fit its alg " + algorithm);
    }

    /** The URL the proof must name: the request's, with a proxy's public scheme, host and port where one is set. */
    private URI target(URI url) {
        try {
            URI base = publicBaseUrl != null ? publicBaseUrl : url;
            return new URI(base.getScheme(), null, base.getHost(), base.getPort(), url.getPath(), null, null);
        } catch (URISyntaxException e) {
            return url;
        }
    }

    /** htu compared after RFC 3986 syntax- and scheme-based normalization, as RFC 9449 section 4.3 asks. */
    static boolean sameResource(Object htu, URI expected) {
        if (!(htu instanceof String claimed)) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(claimed);
        } catch (URISyntaxException e) {
            return false;
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            return false;
        }
        return uri.getScheme().equalsIgnoreCase(expected.getScheme())
                && uri.getHost().toLowerCase(Locale.ROOT).equals(expected.getHost().toLowerCase(Locale.ROOT))
                && port(uri) == port(expected)
                && path(uri).equals(path(expected));
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : -1;
    }

    /** The path with its percent-escapes in one case; an empty path is "/". */
    private static String path(URI uri) {
        String raw = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder normalized = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean inEscape = i >= 1 && raw.charAt(i - 1) == '%' || i >= 2 && raw.charAt(i - 2) == '%';
            normalized.append(inEscape ? Character.toUpperCase(c) : c);
        }
        return normalized.toString();
    }

    static String thumbprint(JWK jwk) throws InvalidDpopProofException {
        try {
            return jwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new InvalidDpopProofException("the proof's jwk has no thumbprint");
        }
    }

    /** BASE64URL(SHA-256(token)), the ath of RFC 9449 section 4.2. */
    static String sha256(String accessToken) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(ascii(accessToken))).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static byte[] ascii(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }
}
