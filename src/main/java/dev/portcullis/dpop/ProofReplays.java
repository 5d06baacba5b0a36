package dev.portcullis.dpop;

import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.util.singleuse.AlreadyUsedException;
import com.nimbusds.oauth2.sdk.util.singleuse.SingleUseChecker;
import dev.portcullis.store.Sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/**
 * The proofs already accepted, shared by every instance through the {@code dpop_proofs} table: one insert-if-absent
 * per proof, so of two instances given the same proof exactly one sees its row inserted. Nimbus' verifier asks
 * only after the signature, method, URL, iat and nonce checked out, so a forged proof spends no jti. Rows are kept
 * while the proof's iat could still pass ({@link #retentionSeconds}); Housekeeping deletes them after.
 */
final class ProofReplays implements SingleUseChecker<Map.Entry<DPoPIssuer, JWTID>> {

    private final Sql sql;
    private final Clock clock;
    private final long retentionSeconds;

    ProofReplays(Sql sql, Clock clock, long iatWindowSeconds) {
        this.sql = sql;
        this.clock = clock;
        // A proof passes while its iat is within the window either way of now: it was made at most one window
        // ahead, and stays valid one window after. The margin covers clocks that differ between instances.
        this.retentionSeconds = 2 * iatWindowSeconds + 60;
    }

    /**
     * {@code proof} is the key's thumbprint and the jti: jtis are the client's choice, so two keys may well pick the
     * same one. Both are hashed, which bounds the key's length whatever the jti's.
     */
    @Override
    public void markAsUsed(Map.Entry<DPoPIssuer, JWTID> proof) throws AlreadyUsedException {
        long now = clock.instant().getEpochSecond();
        int inserted = sql.update("INSERT INTO dpop_proofs (proof_hash, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                hash(proof.getKey().getValue() + "\n" + proof.getValue().getValue()), now + retentionSeconds);
        if (inserted == 0) {
            throw new AlreadyUsedException("the DPoP proof was used before");
        }
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
