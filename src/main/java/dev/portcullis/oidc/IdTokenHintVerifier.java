package dev.portcullis.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.signin.IdTokenHints;
import dev.portcullis.tenant.Realm;
import dev.portcullis.token.JwkSigners;
import dev.portcullis.token.SigningKeys;

import java.text.ParseException;
import java.util.List;
import java.util.Optional;

/**
 * Recognises an {@code id_token_hint} (at authorize and at logout): an ID token this realm signed
 * with one of its published keys, naming one client as audience. An expired one still counts
 * (RP-Initiated Logout 1.0, section 2: the hint is often old by the time the user signs out); a
 * token of a retired key does not. Access tokens are refused however they are typed: they carry
 * {@code client_id} and {@code scope}, which ID tokens never do.
 */
public final class IdTokenHintVerifier implements IdTokenHints {

    /** Well above an ID token with every claim Portcullis releases; longer values are refused unread. */
    public static final int MAX_LENGTH = 8192;

    private final SigningKeys keys;
    private final String publicUrl;

    public IdTokenHintVerifier(SigningKeys keys, String publicUrl) {
        this.keys = keys;
        this.publicUrl = publicUrl;
    }

    @Override
    public Optional<Hint> verify(Realm realm, String idTokenHint) {
        if (idTokenHint.length() > MAX_LENGTH || idTokenHint.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        // outside the try: a store failure is the server's, not a bad hint
        JWKSet published = keys.verificationKeys(realm.tenant().id());
        try {
            SignedJWT jwt = SignedJWT.parse(idTokenHint);
            JOSEObjectType type = jwt.getHeader().getType();
            if (type != null && !type.equals(JOSEObjectType.JWT) || jwt.getHeader().getKeyID() == null) {
                return Optional.empty();
            }
            JWK key = published.getKeyByKeyId(jwt.getHeader().getKeyID());
            if (key == null || key.getAlgorithm() != null && !key.getAlgorithm().equals(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            if (!jwt.verify(JwkSigners.verifier(key))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            List<String> audience = claims.getAudience();
            if (!realm.issuer(publicUrl).equals(claims.getIssuer()) || claims.getSubject() == null || audience.size() != 1
                    || claims.getClaim("client_id") != null || claims.getClaim("scope") != null) {
                return Optional.empty();
            }
            return Optional.of(new Hint(claims.getSubject(), audience.get(0)));
        } catch (ParseException | JOSEException | RuntimeException e) {
            // the hint is whatever the browser brought: any token Nimbus cannot read is simply not a hint of ours
            return Optional.empty();
        }
    }
}
