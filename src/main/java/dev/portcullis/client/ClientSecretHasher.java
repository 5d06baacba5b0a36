package dev.portcullis.client;

import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Sql;
import dev.portcullis.token.MasterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;

/**
 * Hashes client secrets as HMAC-SHA-256(key, SHA-256(secret)) under a key derived from the master
 * key. Secrets from a tenants file may be human-chosen, so a copy of the database alone must not
 * allow guessing them offline; a keyed hash costs no more than the plain one on the token path.
 * Hashing the SHA-256 rather than the secret lets rows stored as plain SHA-256 be upgraded in
 * place, without their secrets.
 */
public final class ClientSecretHasher {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSecretHasher.class);
    static final String SCHEME = "hmac-sha256";
    static final String LEGACY_SCHEME = "sha256";

    private final SecretKey key;
    private final ThreadLocal<Mac> macs;

    public ClientSecretHasher(MasterKey masterKey) {
        this.key = masterKey.derive("client-secret-hmac");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * The hasher for a database, after upgrading any plain SHA-256 secret hashes in it. Every
     * process that reads or writes secrets opens it this way, so all of them agree on the scheme.
     */
    public static ClientSecretHasher open(MasterKey masterKey, Sql sql) {
        ClientSecretHasher hasher = new ClientSecretHasher(masterKey);
        int upgraded = hasher.upgradeLegacyHashes(sql);
        if (upgraded > 0) {
            LOG.info("Upgraded {} client secret hash(es) from SHA-256 to HMAC-SHA-256 under the master key", upgraded);
        }
        return hasher;
    }

    public byte[] hash(String secret) {
        return keyed(SecretHasher.hash(secret));
    }

    /** Whether {@code secret} is the one stored, compared in constant time whatever the stored scheme. */
    public boolean matches(String secret, StoredSecret stored) {
        byte[] plain = SecretHasher.hash(secret);
        return MessageDigest.isEqual(stored.legacyHash() ? plain : keyed(plain), stored.hash());
    }

    private byte[] keyed(byte[] sha256) {
        return macs.get().doFinal(sha256);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    /** Re-hashes rows written as plain SHA-256; guarded by their scheme, so two instances cannot wrap a hash twice. */
    int upgradeLegacyHashes(Sql sql) {
        return sql.inTransaction(tx -> {
            record Legacy(String id, String hash) {
            }
            List<Legacy> rows = tx.query("SELECT id, secret_hash FROM client_secrets WHERE hash_scheme = ?",
                    row -> new Legacy(row.getString(1), row.getString(2)), LEGACY_SCHEME);
            int upgraded = 0;
            for (Legacy row : rows) {
                upgraded += tx.update("UPDATE client_secrets SET secret_hash = ?, hash_scheme = ? WHERE id = ? AND hash_scheme = ?",
                        SecretHasher.encode(keyed(SecretHasher.decode(row.hash()))), SCHEME, row.id(), LEGACY_SCHEME);
            }
            if (upgraded > 0) {
                ConfigRevision.bump(tx);
            }
            return upgraded;
        });
    }
}
