package dev.portcullis.signin;

import dev.portcullis.client.SecretHasher;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.Realm;

/**
 * Pushed authorization requests (RFC 9126), stored in the database so every instance finds them, by the hash of
 * their {@code request_uri} only. A pushed request lives {@link #LIFETIME_SECONDS} until a browser brings it to
 * the authorize endpoint. That first use claims it: the request_uri the client holds stops working (one-time, RFC
 * 9126 section 7.3), and the request is found from then on by a new handle that only that browser holds, for
 * {@link #SIGN_IN_WINDOW_SECONDS}, since the user may take a while to sign in and reloads the page. Issuing the
 * code deletes it, so the whole sign-in runs once.
 */
public final class PushedRequests {

    /** RFC 9126 section 2.2: a URN of this form, with a value no one can guess. */
    public static final String URN_PREFIX = "urn:ietf:params:oauth:request_uri:";
    /** How long the client has to send the browser to the authorize endpoint: RFC 9126 suggests 5 to 600 seconds. */
    public static final int LIFETIME_SECONDS = 60;
    /** How long the sign-in it started may take, from the first authorize request to the code. */
    public static final int SIGN_IN_WINDOW_SECONDS = 1800;

    /**
     * A pushed request found for an authorize request.
     *
     * @param handle     the request_uri the browser uses from now on
     * @param parameters the pushed authorization parameters, as a URL-encoded query string
     * @param claimedNow this authorize request is the first use: the browser must move to the handle
     * @param signedIn   the user has signed in for this request (its prompt=login and max_age are served)
     */
    public record Pushed(String handle, String clientId, String parameters, boolean claimedNow, boolean signedIn) {
    }

    private record Row(String tenantId, String realm, String clientId, String parameters, long expiresAt, boolean claimed,
                       boolean signedIn) {
    }

    private final Sql sql;

    public PushedRequests(Sql sql) {
        this.sql = sql;
    }

    /** Stores validated parameters for a client; returns the request_uri that stands for them. */
    public String push(Realm realm, String clientId, String parameters, long now) {
        String requestUri = URN_PREFIX + SecretHasher.generate();
        sql.update("INSERT INTO pushed_authorization_requests (request_uri_hash, tenant_id, realm, client_id, parameters, "
                        + "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)", SecretHasher.storedHash(requestUri),
                realm.tenant().id(), realm.type().databaseValue(), clientId, parameters, now, now + LIFETIME_SECONDS);
        return requestUri;
    }

    /**
     * The pushed request {@code requestUri} stands for, if {@code clientId} pushed it in this realm and it is still
     * valid; an unclaimed one is claimed when {@code mayClaim} (only the authorize endpoint's GET may).
     */
    Pushed resolve(Realm realm, String clientId, String requestUri, boolean mayClaim, long now) {
        if (!requestUri.startsWith(URN_PREFIX)) {
            throw AuthorizationError.page("The sign-in link's request_uri was not issued by this server: only the request_uri "
                    + "that " + realm.basePath() + "/oauth2/par returned may be used (request objects by reference are not supported).");
        }
        String hash = SecretHasher.storedHash(requestUri);
        return sql.inTransaction(tx -> {
            Row row = tx.queryOne("SELECT tenant_id, realm, client_id, parameters, expires_at, claimed_at, signed_in_at "
                            + "FROM pushed_authorization_requests WHERE request_uri_hash = ?",
                    r -> new Row(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5),
                            r.getObject(6) != null, r.getObject(7) != null), hash)
                    .filter(r -> r.expiresAt() > now && r.tenantId().equals(realm.tenant().id())
                            && r.realm().equals(realm.type().databaseValue()))
                    .orElseThrow(() -> AuthorizationError.page("The sign-in link has expired or was already used. "
                            + "Go back to the application and sign in again."));
            if (!row.clientId().equals(clientId)) {
                throw AuthorizationError.page("The sign-in link's request_uri was pushed by another application than '"
                        + clientId + "'.");
            }
            if (row.claimed()) {
                return new Pushed(requestUri, clientId, row.parameters(), false, row.signedIn());
            }
            if (!mayClaim) {
                throw AuthorizationError.page("The form did not say which sign-in it belongs to. Start again from the application.");
            }
            String handle = URN_PREFIX + SecretHasher.generate();
            // guarded by claimed_at, so of two requests racing with the same request_uri only one claims it
            int claimed = tx.update("UPDATE pushed_authorization_requests SET request_uri_hash = ?, claimed_at = ?, expires_at = ? "
                    + "WHERE request_uri_hash = ? AND claimed_at IS NULL", SecretHasher.storedHash(handle), now,
                    now + SIGN_IN_WINDOW_SECONDS, hash);
            if (claimed == 0) {
                throw AuthorizationError.page("The sign-in link has expired or was already used. "
                        + "Go back to the application and sign in again.");
            }
            return new Pushed(handle, clientId, row.parameters(), true, false);
        });
    }

    /** Records that the user signed in for the request the browser holds {@code handle} for. */
    void markSignedIn(String handle, long now) {
        sql.update("UPDATE pushed_authorization_requests SET signed_in_at = ? WHERE request_uri_hash = ? AND claimed_at IS NOT NULL",
                now, SecretHasher.storedHash(handle));
    }

    /** Ends the request: true for the one caller that ended it, so a sign-in completes once. */
    boolean consume(String handle) {
        return sql.update("DELETE FROM pushed_authorization_requests WHERE request_uri_hash = ?", SecretHasher.storedHash(handle)) > 0;
    }

    /** Deletes a client's pushed requests (when it is deleted). */
    public static void deleteFor(Sql tx, String tenantId, String clientId) {
        tx.update("DELETE FROM pushed_authorization_requests WHERE tenant_id = ? AND client_id = ?", tenantId, clientId);
    }
}
