package dev.portcullis.token;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.portcullis.token.SigningKeyRepository.StoredKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** Makes signing keys and opens them: generation, sealing under the master key, and signers. */
public final class SigningKeyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyFactory.class);

    private final MasterKey masterKey;
    private final JWSAlgorithm algorithm;
    private final Optional<Provider> provider;

    public SigningKeyFactory(MasterKey masterKey, JWSAlgorithm algorithm) {
        this.masterKey = masterKey;
        this.algorithm = algorithm;
        this.provider = CryptoProviders.signingProvider();
    }

    public JWSAlgorithm algorithm() {
        return algorithm;
    }

    /** A new key in {@code status}, its private half sealed under the master key for this kid and tenant. */
    public StoredKey generate(String tenantId, String status, long now, OptionalLong activatesAt) {
        String kid = UUID.randomUUID().toString();
        try {
            // Key generation goes through the signing provider too: AWS-LC makes an RSA key in a fraction
            // of the JDK's time, which is on the first token of every new tenant.
            JWK jwk = algorithm.equals(JWSAlgorithm.ES256)
                    ? withProvider(new ECKeyGenerator(Curve.P_256)).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate()
                    : withProvider(new RSAKeyGenerator(2048)).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate();
            JWEObject sealed = new JWEObject(
                    new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                            .keyID(kid).customParam("tenant", tenantId).build(),
                    new Payload(jwk.toJSONString()));
            sealed.encrypt(new DirectEncrypter(masterKey.secretKey()));
            return new StoredKey(kid, tenantId, algorithm.getName(), status, jwk.toPublicJWK().toJSONString(),
                    sealed.serialize(), now, activatesAt, OptionalLong.empty());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    private <T extends com.nimbusds.jose.jwk.gen.JWKGenerator<?>> T withProvider(T generator) {
        provider.ifPresent(generator::provider);
        return generator;
    }

    public SigningKey open(StoredKey stored) {
        try {
            JWEObject sealed = JWEObject.parse(stored.privateKeyEncrypted());
            // The header is authenticated, so this also proves the blob was sealed for this key and tenant.
            if (!stored.kid().equals(sealed.getHeader().getKeyID())
                    || !stored.tenantId().equals(sealed.getHeader().getCustomParam("tenant"))) {
                throw new IllegalStateException("signing key " + stored.kid() + " is sealed for another key or tenant");
            }
            sealed.decrypt(new DirectDecrypter(masterKey.secretKey()));
            JWK jwk = JWK.parse(sealed.getPayload().toString());
            JWSAlgorithm alg = JWSAlgorithm.parse(stored.algorithm());
            return new SigningKey(stored.tenantId(), stored.kid(), alg, jwk.toPublicJWK(), signer(jwk));
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot open signing key " + stored.kid()
                    + "; is this the master key the keys were created with?", e);
        }
    }

    private JWSSigner signer(JWK jwk) throws JOSEException {
        if (jwk instanceof RSAKey rsa) {
            RSASSASigner signer = new RSASSASigner(toProviderKey(rsa.toPrivateKey(), "RSA"));
            provider.ifPresent(p -> signer.getJCAContext().setProvider(p));
            return signer;
        }
        ECKey ec = (ECKey) jwk;
        ECDSASigner signer = new ECDSASigner(toProviderKey(ec.toPrivateKey(), "EC"), Curve.P_256);
        provider.ifPresent(p -> signer.getJCAContext().setProvider(p));
        return signer;
    }

    /** Re-imports the key through the signing provider once, so it is not translated on every signature. */
    private PrivateKey toProviderKey(PrivateKey key, String keyAlgorithm) {
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
