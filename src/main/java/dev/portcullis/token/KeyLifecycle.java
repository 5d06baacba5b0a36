package dev.portcullis.token;

import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Sql;
import dev.portcullis.token.SigningKeyRepository.StoredKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.portcullis.token.SigningKeyRepository.ACTIVE;
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

    public List<StoredKey> list(String tenantId) {
        return repository.published(tenantId);
    }

    /**
     * Publishes a new key that starts signing {@code activateAfter} seconds from {@code now}. If a
     * rotation is already under way, its waiting key is returned instead ({@code created} false).
     */
    public Rotation rotate(String tenantId, long activateAfter, long now) {
        StoredKey next = factory.generate(tenantId, NEXT, now, OptionalLong.of(now + activateAfter));
        boolean created = sql.inTransaction(tx -> {
            if (!repository.insertIfNone(tx, next)) {
                return false;
            }
            ConfigRevision.bump(tx);
            return true;
        });
        if (created) {
            LOG.info("key_rotation_started tenant={} kid={} activates_at={}", tenantId, next.kid(), now + activateAfter);
            return new Rotation(next, true);
        }
        return new Rotation(repository.find(tenantId, factory.algorithm().getName(), NEXT).orElse(next), false);
    }

    /**
     * Makes the waiting key active once its time has come; the replaced key retires when every token
     * it signed has expired. Returns whether the active key changed (by this or another instance).
     */
    boolean promoteIfDue(String tenantId, long now) {
        String algorithm = factory.algorithm().getName();
        return sql.inTransaction(tx -> {
            SigningKeyRepository keys = new SigningKeyRepository(tx);
            Optional<StoredKey> next = keys.find(tenantId, algorithm, NEXT);
            Optional<StoredKey> active = keys.find(tenantId, algorithm, ACTIVE);
            if (next.isEmpty() || active.isEmpty() || next.get().activatesAt().orElse(0) > now) {
                return next.isEmpty();
            }
            long retiresAt = now + keys.longestTokenLifetime(tx, tenantId) + CLOCK_SKEW_SECONDS;
            if (keys.promote(tx, active.get(), next.get(), retiresAt)) {
                LOG.info("key_activated tenant={} kid={} replaced={} replaced_retires_at={}", tenantId, next.get().kid(),
                        active.get().kid(), retiresAt);
            }
            return true;
        });
    }

    /**
     * Ends a key now: its tokens stop verifying. An active key is replaced at once, by the waiting key
     * if there is one, else by a new key (no pre-publication: this is for a key that leaked).
     */
    public StoredKey retireNow(String tenantId, String kid, long now) {
        StoredKey key = repository.find(tenantId, kid).orElseThrow(() ->
                new IllegalArgumentException("tenant " + tenantId + " has no signing key " + kid));
        StoredKey replacement = factory.generate(tenantId, ACTIVE, now, OptionalLong.empty());
        sql.inTransaction(tx -> {
            SigningKeyRepository keys = new SigningKeyRepository(tx);
            keys.delete(tx, kid);
            if (key.status().equals(ACTIVE)) {
                Optional<StoredKey> next = keys.find(tenantId, key.algorithm(), NEXT);
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
     * Scheduled work, safe on every instance at once: starts the rotations that are due (the unique
     * index on waiting keys lets only one instance's insert through) and deletes retired keys.
     */
    public void runScheduled(long now) {
        for (StoredKey due : repository.dueForRotation(now)) {
            if (due.algorithm().equals(factory.algorithm().getName())) {
                rotate(due.tenantId(), scheduledPrepublication, now);
            }
        }
        int retired = sql.inTransaction(tx -> {
            int deleted = new SigningKeyRepository(tx).deleteRetired(tx, now);
            if (deleted > 0) {
                ConfigRevision.bump(tx);
            }
            return deleted;
        });
        if (retired > 0) {
            LOG.info("keys_retired count={}", retired);
        }
    }
}
