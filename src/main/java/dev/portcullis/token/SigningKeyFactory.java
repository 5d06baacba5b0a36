package dev.portcullis.token;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.jwk.JWK;
import dev.portcullis.token.SigningKeyRepository.StoredKey;

import java.text.ParseException;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Makes signing keys and opens them: generation, sealing under the master key, and signers. The
 * default algorithm is the server's {@code signing_alg}, for tenants that do not choose their own.
 */
public final class SigningKeyFactory {

    private final MasterKey masterKey;
    private final JWSAlgorithm defaultAlgorithm;

    public SigningKeyFactory(MasterKey masterKey, JWSAlgorithm defaultAlgorithm) {
        this.masterKey = masterKey;
        this.defaultAlgorithm = defaultAlgorithm;
    }

    public JWSAlgorithm defaultAlgorithm() {
        return defaultAlgorithm;
    }

    /** A new key in {@code status}, its private half sealed under the master key for this kid and tenant. */
    public StoredKey generate(String tenantId, JWSAlgorithm algorithm, String status, long now, OptionalLong activatesAt) {
        String kid = UUID.randomUUID().toString();
        try {
            JWK jwk = JwkSigners.generate(algorithm, kid);
            JWEObject sealed = new JWEObject(
                    new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                            .keyID(kid).customParam("tenant", tenantId).build(),
                    new Payload(jwk.toJSONString()));
            sealed.encrypt(new DirectEncrypter(masterKey.secretKey()));
            return new StoredKey(kid, tenantId, algorithm.getName(), status, jwk.toPublicJWK().toJSONString(),
                    sealed.serialize(), now, activatesAt, OptionalLong.empty());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " signing key", e);
        }
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
            return new SigningKey(stored.tenantId(), stored.kid(), alg, jwk.toPublicJWK(), JwkSigners.signer(jwk));
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot open signing key " + stored.kid()
                    + "; is this the master key the keys were created with?", e);
        }
    }
}
