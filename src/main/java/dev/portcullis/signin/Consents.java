package dev.portcullis.signin;

import dev.portcullis.store.Sql;
import dev.portcullis.tenant.Realm;

import java.util.HashSet;
import java.util.Set;

/** Remembered consent, per subject, client and scope: a consent covers any request within what was allowed. */
public final class Consents {

    private final Sql sql;

    public Consents(Sql sql) {
        this.sql = sql;
    }

    public boolean covers(Realm realm, String subjectId, String clientId, Set<String> scopes) {
        Set<String> granted = new HashSet<>(sql.query("SELECT scope FROM consents WHERE tenant_id = ? AND realm = ? "
                        + "AND subject_id = ? AND client_id = ?", row -> row.getString(1),
                realm.tenant().id(), realm.type().databaseValue(), subjectId, clientId));
        return granted.containsAll(scopes);
    }

    public void grant(Realm realm, String subjectId, String clientId, Set<String> scopes, long now) {
        sql.inTransaction(tx -> {
            for (String scope : scopes) {
                tx.update("INSERT INTO consents (tenant_id, realm, subject_id, client_id, scope, granted_at) VALUES (?, ?, ?, ?, ?, ?) "
                                + "ON CONFLICT DO NOTHING",
                        realm.tenant().id(), realm.type().databaseValue(), subjectId, clientId, scope, now);
            }
            return null;
        });
    }
}
