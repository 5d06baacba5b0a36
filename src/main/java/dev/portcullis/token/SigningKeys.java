package dev.portcullis.token;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.portcullis.store.StoreException;
import dev.portcullis.token.SigningKeyRepository.StoredKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One signing key set per tenant, created on first use in the tenant's algorithm and shared by every
 * instance through the database; ID-token keys of other algorithms are created on first use too. Keys are decrypted once and cached; the JWKS is cached too and rebuilt on change. Each
 * cached active key knows when a waiting key takes over, so every instance switches at that time
 * without waiting for a cache refresh.
 */
public final class SigningKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

    private record Current(SigningKey key, OptionalLong nextActivation) {
    }

    /** Every published key, and those of them that may verify an access token (not the ID-token keys). */
    private record Published(JWKSet all, JWKSet accessTokens) {
        boolean isEmpty() {
            return all.isEmpty();
        }
    }

    private record IdTokenKeyId(String tenantId, JWSAlgorithm algorithm) {
    }

    private final SigningKeyRepository repository;
    private final SigningKeyFactory factory;
    private final KeyLifecycle lifecycle;
    private final Clock clock;
    private final LoadingCache<String, Current> active;
    private final LoadingCache<String, Published> published;
    private final LoadingCache<IdTokenKeyId, SigningKey> idTokenKeys;

    public SigningKeys(SigningKeyRepository repository, SigningKeyFactory factory, KeyLifecycle lifecycle, Clock clock) {
        this.repository = repository;
        this.factory = factory;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.active = Caffeine.newBuilder().maximumSize(100_000).build(this::loadOrCreate);
        this.published = Caffeine.newBuilder().maximumSize(100_000).build(tenantId -> {
            List<StoredKey> keys = repository.published(tenantId);
            return new Published(new JWKSet(keys.stream().map(StoredKey::publicKey).toList()),
                    new JWKSet(keys.stream().filter(key -> SigningKeyRepository.signsAccessTokens(key.status()))
                            .map(StoredKey::publicKey).toList()));
        });
        this.idTokenKeys = Caffeine.newBuilder().maximumSize(100_000).build(this::loadOrCreateIdTokenKey);
    }

    public SigningKey activeKey(String tenantId) {
        Current current = active.get(tenantId);
        OptionalLong next = current.nextActivation();
        if (next.isPresent() && clock.instant().getEpochSecond() >= next.getAsLong()) {
            try {
                lifecycle.promoteIfDue(tenantId, clock.instant().getEpochSecond());
                active.invalidate(tenantId);
                current = active.get(tenantId);
            } catch (StoreException e) {
                // The database is out: the current key is still valid and published, so signing goes on with it
                // and the rotation completes on a later request, once the database answers.
                LOG.debug("Key rotation for tenant {} is due but the database is unavailable; signing with key {} meanwhile",
                        tenantId, current.key().kid());
            }
        }
        return current.key();
    }

    /**
     * The key that signs the ID tokens of a client that registered {@code algorithm}: the active key when it
     * has that algorithm (or the client registered none), else the tenant's ID-token key of that algorithm,
     * created on first use.
     */
    public SigningKey idTokenKey(String tenantId, Optional<String> algorithm) {
        SigningKey active = activeKey(tenantId);
        Optional<JWSAlgorithm> wanted = algorithm.flatMap(SigningAlgorithms::parse);
        if (wanted.isEmpty() || wanted.get().equals(active.algorithm())) {
            return active;
        }
        return idTokenKeys.get(new IdTokenKeyId(tenantId, wanted.get()));
    }

    /**
     * The tenant's public keys without creating one: what checking a token needs, since a tenant
     * without keys has signed nothing (and a check must never write, e.g. on a logout page).
     */
    public JWKSet verificationKeys(String tenantId) {
        return published(tenantId).all();
    }

    /** The public keys that may verify the tenant's access tokens: all but the keys that sign only ID tokens. */
    public JWKSet accessTokenVerificationKeys(String tenantId) {
        return published(tenantId).accessTokens();
    }

    private Published published(String tenantId) {
        Published set = published.get(tenantId);
        if (set.isEmpty()) {
            // another instance may have created the tenant's first key since: an empty set is never kept
            published.invalidate(tenantId);
            set = published.get(tenantId);
            if (set.isEmpty()) {
                published.invalidate(tenantId);
            }
        }
        return set;
    }

    /** The tenant's public keys (waiting, active and retiring), creating the first one if the tenant has none yet. */
    public JWKSet publicKeys(String tenantId) {
        Published set = published.get(tenantId);
        if (set.isEmpty()) {
            activeKey(tenantId);
            published.invalidate(tenantId);
            set = published.get(tenantId);
        }
        return set.all();
    }

    /**
     * The algorithms of the tenant's published keys, newest key first: what its tokens may be signed with
     * now or during a change of algorithm (e.g. for a discovery document's signing-algorithm lists).
     */
    public List<JWSAlgorithm> algorithms(String tenantId) {
        return publicKeys(tenantId).getKeys().stream().map(JWK::getAlgorithm).filter(java.util.Objects::nonNull)
                .map(alg -> JWSAlgorithm.parse(alg.getName())).distinct().toList();
    }

    public void invalidateAll() {
        active.invalidateAll();
        published.invalidateAll();
        idTokenKeys.invalidateAll();
    }

    private SigningKey loadOrCreateIdTokenKey(IdTokenKeyId id) {
        Optional<StoredKey> stored = repository.idTokenKey(id.tenantId(), id.algorithm().getName());
        if (stored.isEmpty()) {
            lifecycle.createIdTokenKey(id.tenantId(), id.algorithm(), clock.instant().getEpochSecond());
            published.invalidate(id.tenantId());
            stored = repository.idTokenKey(id.tenantId(), id.algorithm().getName());
        }
        return factory.open(stored.orElseThrow(() -> new IllegalStateException("no " + id.algorithm() + " ID-token key for "
                + id.tenantId())));
    }

    private Current loadOrCreate(String tenantId) {
        long now = clock.instant().getEpochSecond();
        Optional<StoredKey> stored = repository.withStatus(tenantId, SigningKeyRepository.ACTIVE);
        if (stored.isEmpty()) {
            JWSAlgorithm algorithm = lifecycle.algorithmOf(tenantId);
            StoredKey created = factory.generate(tenantId, algorithm, SigningKeyRepository.ACTIVE, now, OptionalLong.empty());
            if (repository.insertIfNone(created)) {
                LOG.info("Created {} signing key {} for tenant {}", algorithm, created.kid(), tenantId);
                published.invalidate(tenantId);
            }
            stored = repository.withStatus(tenantId, SigningKeyRepository.ACTIVE);
        }
        StoredKey key = stored.orElseThrow(() -> new IllegalStateException("no active signing key for " + tenantId));
        Optional<StoredKey> waiting = repository.withStatus(tenantId, SigningKeyRepository.NEXT);
        // A tenant whose algorithm changed (tenants file or server default) moves to it by a rotation, never at once.
        Optional<KeyLifecycle.Rotation> rotation = lifecycle.rotateIfAlgorithmChanged(tenantId, key, waiting, now);
        if (rotation.isPresent()) {
            waiting = Optional.of(rotation.get().next());
            published.invalidate(tenantId);
        }
        return new Current(factory.open(key), waiting.map(StoredKey::activatesAt).orElse(OptionalLong.empty()));
    }
}
