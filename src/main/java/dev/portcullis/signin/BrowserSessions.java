package dev.portcullis.signin;

import dev.portcullis.client.SecretHasher;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Browser sessions, one per realm, in the database so that any instance behind a load balancer
 * can serve any request. The cookie holds a random id; the table holds its hash and the session's
 * CSRF token. A row is written only when the user signs in, always under a new id: visitors who
 * have not signed in get a cookie and a stateless CSRF token ({@link PreLoginCsrf}) instead, so
 * anonymous traffic cannot fill the table.
 */
public final class BrowserSessions {

    public record Session(String idHash, String tenantId, RealmType realm, Optional<String> subjectId, String csrfToken,
                          long createdAt, long lastSeenAt, OptionalLong authenticatedAt) {
        public boolean isAuthenticated() {
            return subjectId.isPresent();
        }
    }

    /** A session just created, with the cookie value that names it. */
    public record Issued(String cookieValue, Session session) {
    }

    /** Touching a session rewrites its row at most this often, not on every page. */
    private static final long TOUCH_INTERVAL_SECONDS = 60;

    private final Sql sql;
    private final long idleTimeout;
    private final long absoluteTimeout;

    public BrowserSessions(Sql sql, long idleTimeout, long absoluteTimeout) {
        this.sql = sql;
        this.idleTimeout = idleTimeout;
        this.absoluteTimeout = absoluteTimeout;
    }

    public long absoluteTimeout() {
        return absoluteTimeout;
    }

    public Optional<Session> find(Realm realm, String cookieValue, long now) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 100) {
            return Optional.empty();
        }
        String idHash = SecretHasher.storedHash(cookieValue);
        Optional<Session> found = sql.queryOne("SELECT id_hash, tenant_id, realm, subject_id, csrf_token, created_at, last_seen_at, "
                + "authenticated_at FROM browser_sessions WHERE id_hash = ?", row -> {
                    long authenticated = row.getLong(8);
                    OptionalLong authenticatedAt = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(authenticated);
                    return new Session(row.getString(1), row.getString(2), RealmType.fromSuffix(row.getString(3)).orElseThrow(),
                            Optional.ofNullable(row.getString(4)), row.getString(5), row.getLong(6), row.getLong(7), authenticatedAt);
                }, idHash)
                .filter(s -> s.tenantId().equals(realm.tenant().id()) && s.realm() == realm.type());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Session session = found.get();
        if (now - session.lastSeenAt() > idleTimeout || now - session.createdAt() > absoluteTimeout) {
            end(session);
            return Optional.empty();
        }
        if (now - session.lastSeenAt() >= TOUCH_INTERVAL_SECONDS) {
            sql.update("UPDATE browser_sessions SET last_seen_at = ? WHERE id_hash = ?", now, idHash);
        }
        return Optional.of(session);
    }

    /**
     * Starts a signed-in session under a new id, ending {@code previous} if any, so an id planted
     * before sign-in is worthless after it.
     */
    public Issued signIn(Optional<Session> previous, Realm realm, String subjectId, long now) {
        return sql.inTransaction(tx -> {
            previous.ifPresent(p -> tx.update("DELETE FROM browser_sessions WHERE id_hash = ?", p.idHash()));
            return new BrowserSessions(tx, idleTimeout, absoluteTimeout).insert(realm, subjectId, now);
        });
    }

    public void end(Session session) {
        sql.update("DELETE FROM browser_sessions WHERE id_hash = ?", session.idHash());
    }

    /** Ends every session of a subject, in the caller's transaction; returns how many there were. */
    public static int endAllOf(Sql tx, String tenantId, RealmType realm, String subjectId) {
        return tx.update("DELETE FROM browser_sessions WHERE tenant_id = ? AND realm = ? AND subject_id = ?",
                tenantId, realm.databaseValue(), subjectId);
    }

    private Issued insert(Realm realm, String subjectId, long now) {
        String cookieValue = SecretHasher.generate();
        String csrf = SecretHasher.generate();
        String idHash = SecretHasher.storedHash(cookieValue);
        sql.update("INSERT INTO browser_sessions (id_hash, tenant_id, realm, subject_id, csrf_token, created_at, last_seen_at, "
                        + "authenticated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                idHash, realm.tenant().id(), realm.type().databaseValue(), subjectId, csrf, now, now, now);
        return new Issued(cookieValue, new Session(idHash, realm.tenant().id(), realm.type(), Optional.of(subjectId), csrf, now, now,
                OptionalLong.of(now)));
    }
}
