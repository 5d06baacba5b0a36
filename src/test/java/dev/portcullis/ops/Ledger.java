package dev.portcullis.ops;

import java.util.ArrayList;
import java.util.List;

/**
 * What the clients of a load run were given and may still use: refresh tokens (the latest of each sign-in),
 * codes not yet redeemed, a sample of access tokens; and the requests whose answer never came, so the client
 * cannot know whether they took effect (a refresh or a redemption cut off by a crash). {@link StateAudit} holds
 * it against the servers and the database.
 */
public final class Ledger {

    /** A sign-in's refresh token the client last received (confirmed), for a client that rotates or not. */
    public static final class Family {
        final String clientId;
        final long signedInAtNanos = System.nanoTime();
        volatile String refreshToken;

        Family(String clientId, String refreshToken) {
            this.clientId = clientId;
            this.refreshToken = refreshToken;
        }
    }

    /** A code the client received in a redirect and has not redeemed yet. */
    public record PendingCode(Flows.SignIn signIn, String clientId, long receivedAtNanos) {
    }

    /** A refresh or redemption that got no answer: the token or code sent, for the audit to look up. */
    public record Unanswered(String kind, String clientId, String sent, Flows.SignIn signIn) {
    }

    final List<Family> families = new ArrayList<>();
    final List<PendingCode> codes = new ArrayList<>();
    final List<String> accessTokens = new ArrayList<>();
    final List<Unanswered> unanswered = new ArrayList<>();

    synchronized void merge(Ledger other) {
        families.addAll(other.families);
        codes.addAll(other.codes);
        accessTokens.addAll(other.accessTokens);
        unanswered.addAll(other.unanswered);
    }

    public synchronized int families() {
        return families.size();
    }

    public synchronized int pendingCodes() {
        return codes.size();
    }

    public synchronized int unanswered() {
        return unanswered.size();
    }
}
