package dev.portcullis.token;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Sql;
import dev.portcullis.token.SigningKeyRepository.StoredKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.portcullis.token.SigningKeyRepository.ACTIVE;
import static dev.portcullis.token.SigningKeyRepository.IDTOKEN;
import static dev.portcullis.token.SigningKeyRepository.NEXT;

/**
 * Rotation and retirement of a tenant's signing keys, so that a resource server holding a cached
 * JWKS never meets a token it cannot verify: a new key is published for at least the JWKS cache
 * lifetime before it signs, and the key it replaces stays published until the last token it signed
 * has expired. Every change bumps the configuration revision, so each instance drops its key caches.
 */
public final class KeyLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(KeyLifecycle.class);
    /** What the JWKS response's Cache-Control allows a client to keep it, and so the default pre-publication. */
    public static final long JWKS_MAX_AGE_SECONDS = 300;
    /** Verifiers allow some clock skew past {@code exp}; a retiring key stays published that much longer. */
    static final long CLOCK_SKEW_SECONDS = 60;
    /** The longest access-token lifetime any tenant, client or anonymous-customer setting allows. */
    static final long LONGEST_TOKEN_LIFETIME_SECONDS = 86_400;

    public record Rotation(StoredKey next, boolean created) {
    }

    /**
     * How long a new key must be published before it signs: a client may keep a JWKS for its max-age,
     * and an instance sees another's rotation only after its next configuration check.
     */
    public static long prepublication(int cacheRefreshSeconds) {
        return JWKS_MAX_AGE_SECONDS + cacheRefreshSeconds;
    }

    private final Sql sql;
    private final SigningKeyRepository repository;
    private final SigningKeyFactory factory;
    private final long scheduledPrepublication;

    /** @param cacheRefreshSeconds how often instances look for configuration changes, for scheduled rotations */
    public KeyLifecycle(Sql sql, SigningKeyFactory factory, int cacheRefreshSeconds) {
        this.sql = sql;
        this.repository = new SigningKeyRepository(sql);
        this.factory = factory;
        this.scheduledPrepublication = prepublication(cacheRefreshSeconds);
    }

    /** What creates the first key of tenants that have none, with this lifecycle's factory and algorithms. */
    public KeyProvisioner provisioner(Clock clock) {
        return new KeyProvisioner(sql, factory, this, clock);
    }

    public List<StoredKey> list(String tenantId) {
        return repository.published(tenantId);
    }

    /** The algorithm the tenant signs with once any rotation under way is done: its own choice, else the server's. */
    public JWSAlgorithm algorithmOf(String tenantId) {
        return repository.chosenAlgorithm(tenantId).flatMap(SigningAlgorithms::parse).orElse(factory.defaultAlgorithm());
    }

    /**
     * Publishes a new key of the tenant's algorithm that starts signing {@code activateAfter} seconds from
     * {@code now}. If a rotation is already under way, its waiting key is returned instead ({@code created} false).
     */
    public Rotation rotate(String tenantId, long activateAfter, long now) {
        return rotate(tenantId, algorithmOf(tenantId), activateAfter, now, false);
    }

    /**
     * Changes the tenant's algorithm, as its tenants file's {@code signing_alg} does, by a rotation: the
     * new algorithm's key is published first and signs after {@code activateAfter} seconds, and the old
     * algorithm's key retires like any replaced key.
     */
    public Rotation rotateTo(String tenantId, JWSAlgorithm algorithm, long activateAfter, long now) {
        return rotate(tenantId, algorithm, activateAfter, now, true);
    }

    /** Starts a rotation when the tenant's algorithm is not the one its active key (or its waiting key) has. */
    Optional<Rotation> rotateIfAlgorithmChanged(String tenantId, StoredKey active, Optional<StoredKey> waiting, long now) {
        String wanted = algorithmOf(tenantId).getName();
        if (active.algorithm().equals(wanted) || waiting.map(StoredKey::algorithm).filter(wanted::equals).isPresent()) {
            return Optional.empty();
        }
        LOG.info("signing_algorithm_changed tenant={} from={} to={}", tenantId, active.algorithm(), wanted);
        return Optional.of(rotate(tenantId, scheduledPrepublication, now));
    }

    private Rotation rotate(String tenantId, JWSAlgorithm algorithm, long activateAfter, long now, boolean recordChoice) {
        StoredKey next = factory.generate(tenantId, algorithm, NEXT, now, OptionalLong.of(now + activateAfter));
        boolean created = sql.inTransaction(tx -> {
            SigningKeyRepository keys = new SigningKeyRepository(tx);
            if (recordChoice) {
                keys.setChosenAlgorithm(tx, tenantId, algorithm.getName());
            }
            // A waiting key of another algorithm has never signed: the newer choice replaces it at once.
            Optional<StoredKey> waiting = keys.withStatus(tenantId, NEXT).filter(key -> !key.algorithm().equals(algorithm.getName()));
            waiting.ifPresent(key -> keys.delete(tx, key.kid()));
            boolean inserted = keys.insertIfNone(tx, next);
            if (inserted || waiting.isPresent() || recordChoice) {
                ConfigRevision.bump(tx);
            }
            return inserted;
        });
        if (created) {
            LOG.info("key_rotation_started tenant={} kid={} alg={} activates_at={}", tenantId, next.kid(), algorithm,
                    now + activateAfter);
            return new Rotation(next, true);
        }
        return new Rotation(repository.withStatus(tenantId, NEXT).orElse(next), false);
    }

    /**
     * Makes the waiting key active once its time has come; the replaced key, of whatever algorithm,
     * retires when every token it signed has expired. Returns whether the active key changed (by this or another instance).
     */
    boolean promoteIfDue(String tenantId, long now) {
        return sql.inTransaction(tx -> {
            SigningKeyRepository keys = new SigningKeyRepository(tx);
            Optional<StoredKey> next = keys.withStatus(tenantId, NEXT);
            Optional<StoredKey> active = keys.withStatus(tenantId, ACTIVE);
            if (next.isEmpty() || active.isEmpty() || next.get().activatesAt().orElse(0) > now) {
                return next.isEmpty();
            }
            long retiresAt = now + keys.longestTokenLifetime(tx, tenantId) + CLOCK_SKEW_SECONDS;
            if (keys.promote(tx, active.get(), next.get(), retiresAt)) {
                LOG.info("key_activated tenant={} kid={} alg={} replaced={} replaced_retires_at={}", tenantId, next.get().kid(),
                        next.get().algorithm(), active.get().kid(), retiresAt);
            }
            return true;
        });
    }

    /**
     * Ends a key now: its tokens stop verifying. An active key is replaced at once, by the waiting key
     * if there is one, else by a new key (no pre-publication: this is for a key that leaked). An ID-token
     * key is replaced by a new one when the next ID token of its algorithm is signed.
     */
    public StoredKey retireNow(String tenantId, String kid, long now) {
        StoredKey key = repository.find(tenantId, kid).orElseThrow(() ->
                new IllegalArgumentException("tenant " + tenantId + " has no signing key " + kid));
        StoredKey replacement = factory.generate(tenantId, algorithmOf(tenantId), ACTIVE, now, OptionalLong.empty());
        sql.inTransaction(tx -> {
            SigningKeyRepository keys = new SigningKeyRepository(tx);
            keys.delete(tx, kid);
            if (key.status().equals(ACTIVE)) {
                Optional<StoredKey> next = keys.withStatus(tenantId, NEXT);
                if (next.isPresent()) {
                    tx.update("UPDATE signing_keys SET status = ?, activates_at = NULL WHERE kid = ?", ACTIVE, next.get().kid());
                } else {
                    keys.insertIfNone(tx, replacement);
                }
            }
            ConfigRevision.bump(tx);
            return null;
        });
        LOG.warn("key_retired_now tenant={} kid={} status_was={}", tenantId, kid, key.status());
        return key;
    }

    /**
     * Creates the tenant's ID-token key of {@code algorithm} unless another instance just did (the unique
     * index lets one insert through); the configuration revision tells every instance to publish it.
     */
    void createIdTokenKey(String tenantId, JWSAlgorithm algorithm, long now) {
        StoredKey created = factory.generate(tenantId, algorithm, IDTOKEN, now, OptionalLong.empty());
        boolean inserted = sql.inTransaction(tx -> {
            boolean won = new SigningKeyRepository(tx).insertIfNone(tx, created);
            if (won) {
                ConfigRevision.bump(tx);
            }
            return won;
        });
        if (inserted) {
            LOG.info("id_token_key_created tenant={} kid={} alg={}", tenantId, created.kid(), algorithm);
        }
    }

    /**
     * Replaces an ID-token key older than its tenant's rotation period: it stops signing and stays published
     * until every ID token it may have signed has expired (the longest token lifetime, plus the time an
     * instance may take to notice, plus clock skew); the next ID token of that algorithm creates its successor.
     */
    private void retireIdTokenKey(StoredKey key, long now) {
        boolean retired = sql.inTransaction(tx -> {
            SigningKeyRepository keys = new SigningKeyRepository(tx);
            long retiresAt = now + keys.longestTokenLifetime(tx, key.tenantId()) + scheduledPrepublication + CLOCK_SKEW_SECONDS;
            boolean changed = keys.retireIdTokenKey(tx, key.kid(), retiresAt);
            if (changed) {
                ConfigRevision.bump(tx);
            }
            return changed;
        });
        if (retired) {
            LOG.info("id_token_key_replaced tenant={} kid={} alg={}", key.tenantId(), key.kid(), key.algorithm());
        }
    }

    /**
     * Scheduled work, safe on every instance at once: starts the rotations that are due (the unique
     * index on waiting keys lets only one instance's insert through), replaces ID-token keys older than
     * the rotation period and deletes retired keys.
     * Retiring keys without a date (taken out of signing by a migration) get the longest lifetime any token may have.
     */
    public void runScheduled(long now) {
        for (StoredKey due : repository.dueForRotation(now)) {
            rotate(due.tenantId(), scheduledPrepublication, now);
        }
        for (StoredKey due : repository.idTokenKeysDue(now)) {
            retireIdTokenKey(due, now);
        }
        int retired = sql.inTransaction(tx -> {
            SigningKeyRepository keys = new SigningKeyRepository(tx);
            int dated = keys.scheduleUndatedRetirements(tx, now + LONGEST_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS);
            int deleted = keys.deleteRetired(tx, now);
            if (deleted > 0 || dated > 0) {
                ConfigRevision.bump(tx);
            }
            return deleted;
        });
        if (retired > 0) {
            LOG.info("keys_retired count={}", retired);
        }
    }
}
