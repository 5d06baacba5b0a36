package dev.portcullis.token;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.nimbusds.jose.jwk.JWKSet;
import dev.portcullis.token.SigningKeyRepository.StoredKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One signing key set per tenant, created on first use and shared by every instance through the
 * database. Keys are decrypted once and cached; the JWKS is cached too and rebuilt on change. Each
 * cached active key knows when a waiting key takes over, so every instance switches at that time
 * without waiting for a cache refresh.
 */
public final class SigningKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

    private record Current(SigningKey key, OptionalLong nextActivation) {
    }

    private final SigningKeyRepository repository;
    private final SigningKeyFactory factory;
    private final KeyLifecycle lifecycle;
    private final Clock clock;
    private final LoadingCache<String, Current> active;
    private final LoadingCache<String, JWKSet> published;

    public SigningKeys(SigningKeyRepository repository, SigningKeyFactory factory, KeyLifecycle lifecycle, Clock clock) {
        this.repository = repository;
        this.factory = factory;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.active = Caffeine.newBuilder().maximumSize(100_000).build(this::loadOrCreate);
        this.published = Caffeine.newBuilder().maximumSize(100_000)
                .build(tenantId -> new JWKSet(repository.published(tenantId).stream().map(StoredKey::publicKey).toList()));
    }

    public SigningKey activeKey(String tenantId) {
        Current current = active.get(tenantId);
        OptionalLong next = current.nextActivation();
        if (next.isPresent() && clock.instant().getEpochSecond() >= next.getAsLong()) {
            lifecycle.promoteIfDue(tenantId, clock.instant().getEpochSecond());
            active.invalidate(tenantId);
            current = active.get(tenantId);
        }
        return current.key();
    }

    /** The tenant's public keys (waiting, active and retiring), creating the first one if the tenant has none yet. */
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

    private Current loadOrCreate(String tenantId) {
        String algorithm = factory.algorithm().getName();
        Optional<StoredKey> stored = repository.find(tenantId, algorithm, SigningKeyRepository.ACTIVE);
        if (stored.isEmpty()) {
            StoredKey created = factory.generate(tenantId, SigningKeyRepository.ACTIVE, clock.instant().getEpochSecond(),
                    OptionalLong.empty());
            if (repository.insertIfNone(created)) {
                LOG.info("Created {} signing key {} for tenant {}", algorithm, created.kid(), tenantId);
                published.invalidate(tenantId);
            }
            stored = repository.find(tenantId, algorithm, SigningKeyRepository.ACTIVE);
        }
        StoredKey key = stored.orElseThrow(() -> new IllegalStateException("no active signing key for " + tenantId));
        OptionalLong nextActivation = repository.find(tenantId, algorithm, SigningKeyRepository.NEXT)
                .map(next -> next.activatesAt()).orElse(OptionalLong.empty());
        return new Current(factory.open(key), nextActivation);
    }
}
