package dev.portcullis.identity;

import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The admin roles of users (realm U), kept apart from {@link Subject} so the token endpoint's subject
 * lookups and caches stay as they were: only the admin API and administration read roles. Every read
 * is one indexed query, uncached, so a role taken away stops working on the next request.
 */
public final class SubjectRoles {

    private static final String USER_REALM = RealmType.USER.databaseValue();

    private SubjectRoles() {
    }

    /**
     * The roles a user holds now, by label (e.g. {@code partition_admin}), for the admin API to check per request:
     * none when the user is disabled or unknown. A disabled user's roles stay stored, so re-enabling restores them.
     */
    public static Set<String> roles(Sql sql, String tenantId, String subjectId) {
        return sorted(sql.query("SELECT r.role FROM subject_roles r JOIN subjects s ON s.tenant_id = r.tenant_id "
                        + "AND s.realm = r.realm AND s.id = r.subject_id "
                        + "WHERE r.tenant_id = ? AND r.realm = ? AND r.subject_id = ? AND s.enabled = 1",
                row -> row.getString(1), tenantId, USER_REALM, subjectId));
    }

    /** The roles stored for a user whatever its state: what the tenants file compares and export writes. */
    public static Set<String> stored(Sql sql, String tenantId, String subjectId) {
        return sorted(sql.query("SELECT role FROM subject_roles WHERE tenant_id = ? AND realm = ? AND subject_id = ?",
                row -> row.getString(1), tenantId, USER_REALM, subjectId));
    }

    /** The ids of the tenant's enabled users holding {@code role}, in id order. */
    public static List<String> holders(Sql sql, String tenantId, AdminRole role) {
        return sql.query("SELECT r.subject_id FROM subject_roles r JOIN subjects s ON s.tenant_id = r.tenant_id "
                        + "AND s.realm = r.realm AND s.id = r.subject_id "
                        + "WHERE r.tenant_id = ? AND r.realm = ? AND r.role = ? AND s.enabled = 1 ORDER BY r.subject_id",
                row -> row.getString(1), tenantId, USER_REALM, role.label());
    }

    /**
     * Makes the user's roles exactly {@code roles}; returns true if anything changed. Callers check the
     * user exists in realm U and that each role is allowed in its tenant ({@link AdminRole#problem}).
     */
    public static boolean set(Sql tx, String tenantId, String subjectId, Set<AdminRole> roles) {
        Set<String> wanted = new TreeSet<>();
        roles.forEach(role -> wanted.add(role.label()));
        Set<String> stored = stored(tx, tenantId, subjectId);
        if (stored.equals(wanted)) {
            return false;
        }
        for (String role : stored) {
            if (!wanted.contains(role)) {
                tx.update("DELETE FROM subject_roles WHERE tenant_id = ? AND realm = ? AND subject_id = ? AND role = ?",
                        tenantId, USER_REALM, subjectId, role);
            }
        }
        for (String role : wanted) {
            if (!stored.contains(role)) {
                tx.update("INSERT INTO subject_roles (tenant_id, realm, subject_id, role) VALUES (?, ?, ?, ?)",
                        tenantId, USER_REALM, subjectId, role);
            }
        }
        return true;
    }

    private static Set<String> sorted(List<String> labels) {
        return Collections.unmodifiableSet(new TreeSet<>(labels));
    }
}
