package dev.portcullis.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.JWKGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Optional;

/**
 * Key pairs and signers for each supported algorithm, through the signing provider (AWS-LC) where it
 * can: RSA (RS256, PS256) and P-256 (ES256). Ed25519 goes through Nimbus' signer, which is built on
 * Google Tink: AWS-LC has an Ed25519 signature but no key factory to import a stored key into.
 */
public final class JwkSigners {

    private static final Logger LOG = LoggerFactory.getLogger(JwkSigners.class);

    private JwkSigners() {
    }

    /** A new private JWK for {@code algorithm}, carrying its kid, use and alg so a verifier picks it exactly. */
    public static JWK generate(JWSAlgorithm algorithm, String kid) throws JOSEException {
        Optional<Provider> provider = CryptoProviders.signingProvider();
        JWKGenerator<? extends JWK> generator;
        if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
            // AWS-LC makes an RSA key in a fraction of the JDK's time, and that is on the first token of every new tenant.
            RSAKeyGenerator rsa = new RSAKeyGenerator(2048);
            provider.ifPresent(rsa::provider);
            generator = rsa.keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm);
        } else if (JWSAlgorithm.ES256.equals(algorithm)) {
            ECKeyGenerator ec = new ECKeyGenerator(Curve.P_256);
            provider.ifPresent(ec::provider);
            generator = ec.keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm);
        } else if (JWSAlgorithm.EdDSA.equals(algorithm)) {
            generator = new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm);
        } else {
            throw new JOSEException("unsupported signing algorithm " + algorithm);
        }
        return generator.generate();
    }

    public static JWSSigner signer(JWK jwk) throws JOSEException {
        Optional<Provider> provider = CryptoProviders.signingProvider();
        if (jwk instanceof RSAKey rsa) {
            RSASSASigner signer = new RSASSASigner(toProviderKey(rsa.toPrivateKey(), "RSA", provider));
            provider.ifPresent(p -> signer.getJCAContext().setProvider(p));
            return signer;
        }
        if (jwk instanceof ECKey ec) {
            ECDSASigner signer = new ECDSASigner(toProviderKey(ec.toPrivateKey(), "EC", provider), Curve.P_256);
            provider.ifPresent(p -> signer.getJCAContext().setProvider(p));
            return signer;
        }
        if (jwk instanceof OctetKeyPair okp) {
            return new Ed25519Signer(okp);
        }
        throw new JOSEException("no signer for key type " + jwk.getKeyType());
    }

    /** A verifier for a published key of any of the four algorithms. */
    public static JWSVerifier verifier(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (key instanceof ECKey ec) {
            return new ECDSAVerifier(ec);
        }
        if (key instanceof OctetKeyPair okp) {
            return new Ed25519Verifier(okp);
        }
        throw new JOSEException("no verifier for key type " + key.getKeyType());
    }

    /** Re-imports the key through the signing provider once, so it is not translated on every signature. */
    private static PrivateKey toProviderKey(PrivateKey key, String keyAlgorithm, Optional<Provider> provider) {
        if (provider.isEmpty()) {
            return key;
        }
        try {
            return KeyFactory.getInstance(keyAlgorithm, provider.get()).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (Exception e) {
            LOG.warn("Could not import the {} key into {}; signing with the key as is ({})", keyAlgorithm,
                    provider.get().getName(), e.toString());
            return key;
        }
    }
}
