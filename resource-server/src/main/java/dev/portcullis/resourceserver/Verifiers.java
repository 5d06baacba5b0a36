package dev.portcullis.resourceserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

/** A signature verifier for one public JWK. */
final class Verifiers {

    private Verifiers() {
    }

    static JWSVerifier of(JWK key, JWSAlgorithm algorithm) throws JOSEException {
        if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(algorithm)) {
            return new RSASSAVerifier(rsa);
        }
        if (key instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(algorithm)) {
            return new ECDSAVerifier(ec);
        }
        if (key instanceof OctetKeyPair okp && JWSAlgorithm.EdDSA.equals(algorithm)) {
            // only reached when EdDSA is accepted, which needs Tink: Ed25519Verifier's class loads Tink's
            return new Ed25519Verifier(okp);
        }
        throw new JOSEException("a " + key.getKeyType() + " key cannot verify " + algorithm);
    }
}
