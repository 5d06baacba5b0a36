package dev.portcullis.token;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.store.Sql;
import dev.portcullis.token.SigningKeyRepository.StoredKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the first signing key of every tenant that has none, off the request path. An RSA key pair costs about a
 * tenth of a second of CPU, so a tenant created with ten thousand others must not make its first token wait for its
 * key: the key is made right after the tenant (by {@code apply}, or in the background of a running server, which
 * hears of new tenants through the configuration changes), and the token path only finds it. Several instances may
 * run this at once: on PostgreSQL a transaction-scoped advisory lock lets one of them do the work while the others
 * skip, and the partial unique index on active keys keeps any race to one key per tenant.
 */
public final class KeyProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(KeyProvisioner.class);
    private static final int BATCH = 200;
    /** Any constant: the advisory lock's key, shared by every instance of one database. */
    private static final long ADVISORY_LOCK = 0x706f7274_6b657973L;

    private final Sql sql;
    private final SigningKeyRepository repository;
    private final SigningKeyFactory factory;
    private final KeyLifecycle lifecycle;
    private final Clock clock;

    public KeyProvisioner(Sql sql, SigningKeyFactory factory, KeyLifecycle lifecycle, Clock clock) {
        this.sql = sql;
        this.repository = new SigningKeyRepository(sql);
        this.factory = factory;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /** How many tenants have no active signing key. */
    public int missing() {
        return sql.queryOne("SELECT COUNT(*) FROM tenants t WHERE NOT EXISTS (SELECT 1 FROM signing_keys k "
                + "WHERE k.tenant_id = t.id AND k.status = ?)", row -> row.getInt(1), SigningKeyRepository.ACTIVE).orElse(0);
    }

    /**
     * Creates the missing keys with {@code threads} key generators; returns how many keys this call created (0 when
     * another instance holds the lock).
     */
    public int provisionMissing(int threads) {
        if (!sql.isPostgres()) {
            return provision(threads);
        }
        // the lock lives as long as this transaction, which writes nothing itself: the keys are inserted as they come
        return sql.inTransaction(tx -> tx.queryOne("SELECT pg_try_advisory_xact_lock(?)", row -> row.getBoolean(1), ADVISORY_LOCK)
                .orElse(false) ? provision(threads) : 0);
    }

    private int provision(int threads) {
        AtomicInteger created = new AtomicInteger();
        String after = "";
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            while (true) {
                List<String> tenants = sql.query("SELECT t.id FROM tenants t WHERE t.id > ? AND NOT EXISTS (SELECT 1 FROM signing_keys k "
                                + "WHERE k.tenant_id = t.id AND k.status = ?) ORDER BY t.id LIMIT ?",
                        row -> row.getString(1), after, SigningKeyRepository.ACTIVE, BATCH);
                if (tenants.isEmpty()) {
                    break;
                }
                pool.submit(() -> tenants.parallelStream().forEach(tenantId -> {
                    if (create(tenantId)) {
                        created.incrementAndGet();
                    }
                })).get();
                after = tenants.get(tenants.size() - 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("creating signing keys failed", e.getCause());
        } finally {
            pool.shutdown();
        }
        if (created.get() > 0) {
            LOG.info("Created the first signing key of {} tenant(s)", created.get());
        }
        return created.get();
    }

    private boolean create(String tenantId) {
        JWSAlgorithm algorithm = lifecycle.algorithmOf(tenantId);
        StoredKey key = factory.generate(tenantId, algorithm, SigningKeyRepository.ACTIVE, clock.instant().getEpochSecond(),
                OptionalLong.empty());
        return repository.insertIfNone(key);
    }
}
