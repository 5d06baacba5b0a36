package dev.portcullis.token;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
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
import com.nimbusds.jose.jwk.JWKSet;
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
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * One signing key set per tenant, created on first use and shared by every instance through the
 * database. Keys are decrypted once and cached; the JWKS is cached too and rebuilt on change.
 */
public final class SigningKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

    private final SigningKeyRepository repository;
    private final MasterKey masterKey;
    private final JWSAlgorithm algorithm;
    private final Optional<Provider> provider;
    private final Clock clock;
    private final LoadingCache<String, SigningKey> active;
    private final LoadingCache<String, JWKSet> published;

    public SigningKeys(SigningKeyRepository repository, MasterKey masterKey, JWSAlgorithm algorithm, Clock clock) {
        this.repository = repository;
        this.masterKey = masterKey;
        this.algorithm = algorithm;
        this.provider = CryptoProviders.signingProvider();
        this.clock = clock;
        this.active = Caffeine.newBuilder().maximumSize(100_000).build(this::loadOrCreate);
        this.published = Caffeine.newBuilder().maximumSize(100_000)
                .build(tenantId -> new JWKSet(repository.published(tenantId).stream().map(StoredKey::publicKey).toList()));
    }

    public SigningKey activeKey(String tenantId) {
        return active.get(tenantId);
    }

    /** The tenant's public keys, creating the first one if the tenant has none yet. */
    public JWKSet publicKeys(String tenantId) {
        JWKSet set = published.get(tenantId);
        if (set.isEmpty()) {
            activeKey(tenantId);
            published.invalidate(tenantId);
            set = published.get(tenantId);
        }
        return set;
    }

    public void invalidateAll() {
        active.invalidateAll();
        published.invalidateAll();
    }

    private SigningKey loadOrCreate(String tenantId) {
        Optional<StoredKey> stored = repository.findActive(tenantId, algorithm.getName());
        if (stored.isEmpty()) {
            StoredKey created = generate(tenantId);
            if (repository.insertIfNoActive(created)) {
                LOG.info("Created {} signing key {} for tenant {}", algorithm, created.kid(), tenantId);
                published.invalidate(tenantId);
            }
            stored = repository.findActive(tenantId, algorithm.getName());
        }
        StoredKey key = stored.orElseThrow(() -> new IllegalStateException("no active signing key for " + tenantId));
        return toSigningKey(key);
    }

    private StoredKey generate(String tenantId) {
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
            return new StoredKey(kid, tenantId, algorithm.getName(), "active", jwk.toPublicJWK().toJSONString(),
                    sealed.serialize(), clock.instant().getEpochSecond());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    private <T extends com.nimbusds.jose.jwk.gen.JWKGenerator<?>> T withProvider(T generator) {
        provider.ifPresent(generator::provider);
        return generator;
    }

    private SigningKey toSigningKey(StoredKey stored) {
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
