package dev.portcullis.ops;

import dev.portcullis.client.SecretHasher;
import dev.portcullis.ops.OpsHttp.Reply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a {@link Ledger} against the servers and the database after a fault: every refresh token and code a client
 * was given still works (or was legitimately consumed), every sampled access token is still active; a request that
 * got no answer either took effect completely or not at all; and nothing in the database is half-written (a refresh
 * token consumed without its successor, a code consumed without its refresh family, a family without a token).
 */
public final class StateAudit {

    /** What the audit found: {@code lost} and {@code halfWritten} must be 0. */
    public record Outcome(int checked, int lost, int halfWritten, int unansweredCommitted, int unansweredRolledBack,
                          int expired, List<String> problems) {
        public String summary() {
            return checked + " confirmed items re-checked, " + lost + " lost; " + (unansweredCommitted + unansweredRolledBack)
                    + " requests cut off unanswered (" + unansweredCommitted + " had committed completely, "
                    + unansweredRolledBack + " not at all); " + halfWritten + " half-written rows"
                    + (expired > 0 ? "; " + expired + " codes or sign-ins expired before the check, not counted" : "");
        }
    }

    private static final long CODE_CHECK_LIMIT_NANOS = 55_000_000_000L;

    private final Flows flows;
    private final String base;
    private final Connection db;
    private final List<String> problems = new ArrayList<>();
    private int checked;
    private int lost;
    private int halfWritten;
    private int committed;
    private int rolledBack;
    private int expired;
    private long familyLifetimeSeconds;

    private StateAudit(Flows flows, String base, Connection db) {
        this.flows = flows;
        this.base = base;
        this.db = db;
    }

    public static Outcome verify(Ledger ledger, Flows flows, String base, Connection db) throws SQLException {
        return verify(ledger, flows, base, db, java.time.Duration.ofDays(365));
    }

    /**
     * With the refresh families' absolute lifetime: a run longer than it (the soak) sees sign-ins end and
     * housekeeping delete their families, which is neither a loss nor a half-written row. A sign-in the client still
     * holds past that lifetime counts as expired, and a code redeemed longer ago than that may have lost its family.
     */
    public static Outcome verify(Ledger ledger, Flows flows, String base, Connection db, java.time.Duration familyLifetime)
            throws SQLException {
        StateAudit audit = new StateAudit(flows, base, db);
        audit.familyLifetimeSeconds = familyLifetime.toSeconds();
        // the unanswered first: checking the others does not touch them, but re-using them would
        for (Ledger.Unanswered request : ledger.unanswered) {
            if (request.kind().equals("refresh")) {
                audit.unansweredRefresh(request);
            } else {
                audit.unansweredCode(request);
            }
        }
        for (Ledger.PendingCode code : ledger.codes) {
            if (System.nanoTime() - code.receivedAtNanos() > CODE_CHECK_LIMIT_NANOS) {
                audit.expired++;
                continue;
            }
            audit.expect("code received, not yet redeemed", flows.redeem(base, code.clientId(), code.signIn()));
        }
        for (Ledger.Family family : ledger.families) {
            if (System.nanoTime() - family.signedInAtNanos > familyLifetime.toNanos() - 5_000_000_000L) {
                audit.expired++;
                continue;
            }
            audit.expect("latest refresh token", flows.refresh(base, family.clientId, family.refreshToken));
        }
        for (String token : ledger.accessTokens) {
            if (expiredJwt(token)) {
                audit.expired++; // past its own exp (a soak outlives the tenant's access_token_ttl): inactive by design
                continue;
            }
            Reply reply = flows.introspect(base, token);
            audit.checked++;
            if (!reply.jsonBoolean("active").orElse(false)) {
                audit.lost("access token no longer active: " + reply.describe());
            }
        }
        audit.halfWrittenRows();
        return new Outcome(audit.checked, audit.lost, audit.halfWritten, audit.committed, audit.rolledBack, audit.expired,
                List.copyOf(audit.problems));
    }

    /** Whether a JWT's {@code exp} (read without checking the signature: the introspection checks it) has passed. */
    static boolean expiredJwt(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode claims = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
            return claims.has("exp") && claims.get("exp").asLong() <= java.time.Instant.now().getEpochSecond() + 5;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private void expect(String what, Reply reply) {
        checked++;
        if (reply.status() != 200) {
            lost(what + " refused: " + reply.describe());
        }
    }

    private void lost(String problem) {
        lost++;
        problems.add(problem);
    }

    private void unansweredRefresh(Ledger.Unanswered request) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT t.consumed_at, (SELECT count(*) FROM refresh_tokens s "
                + "WHERE s.family_id = t.family_id AND s.token_hash <> t.token_hash AND s.created_at >= t.consumed_at) "
                + "FROM refresh_tokens t WHERE t.token_hash = ?")) {
            query.setString(1, SecretHasher.storedHash(request.sent()));
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    lost("a refresh token the client held is gone from the database");
                    return;
                }
                row.getLong(1);
                if (row.wasNull()) {
                    rolledBack++;
                    expect("refresh token whose rotation was cut off before it committed", flows.refresh(base, request.clientId(), request.sent()));
                } else if (row.getLong(2) == 0) {
                    halfWritten++;
                    problems.add("a refresh token consumed by a cut-off rotation has no successor");
                } else {
                    committed++;
                }
            }
        }
    }

    private void unansweredCode(Ledger.Unanswered request) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT c.consumed_at, (SELECT count(*) FROM refresh_tokens t "
                + "WHERE t.family_id = c.family_id) FROM authorization_codes c WHERE c.code_hash = ?")) {
            query.setString(1, SecretHasher.storedHash(request.sent()));
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    lost("a code the client received is gone from the database");
                    return;
                }
                row.getLong(1);
                if (row.wasNull()) {
                    rolledBack++;
                    expect("code whose redemption was cut off before it committed", flows.redeem(base, request.clientId(), request.signIn()));
                } else if (row.getLong(2) == 0) {
                    halfWritten++;
                    problems.add("a code consumed by a cut-off redemption has no refresh token");
                } else {
                    committed++;
                }
            }
        }
    }

    private void halfWrittenRows() throws SQLException {
        count("refresh tokens consumed without a successor", "SELECT count(*) FROM refresh_tokens t WHERE t.consumed_at IS NOT NULL "
                + "AND NOT EXISTS (SELECT 1 FROM refresh_tokens s WHERE s.family_id = t.family_id AND s.token_hash <> t.token_hash "
                + "AND s.created_at >= t.consumed_at)");
        // a code redeemed longer ago than the families' lifetime may have lost its family to housekeeping
        long since = java.time.Instant.now().getEpochSecond() - familyLifetimeSeconds + 5;
        count("codes consumed without a refresh family", "SELECT count(*) FROM authorization_codes c WHERE c.consumed_at IS NOT NULL "
                + "AND c.consumed_at > " + since
                + " AND (c.family_id IS NULL OR NOT EXISTS (SELECT 1 FROM refresh_families f WHERE f.id = c.family_id))");
        count("refresh families without a token", "SELECT count(*) FROM refresh_families f "
                + "WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id)");
    }

    private void count(String what, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            long n = row.getLong(1);
            if (n > 0) {
                halfWritten += (int) n;
                problems.add(n + " " + what);
            }
        }
    }
}
