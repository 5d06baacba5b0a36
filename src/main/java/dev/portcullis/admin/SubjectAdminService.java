package dev.portcullis.admin;

import dev.portcullis.identity.AdminRole;
import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectLookup;
import dev.portcullis.identity.SubjectRepository;
import dev.portcullis.identity.SubjectRoles;
import dev.portcullis.signin.SubjectSignOut;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The operations behind the CLI's user and customer commands: create, list, enable or disable (which signs
 * the subject out everywhere) and a user's admin roles. Each change runs in one transaction with its audit
 * event and the configuration revision, so running servers pick it up.
 */
public final class SubjectAdminService {

    private final Sql sql;
    private final Clock clock;

    public SubjectAdminService(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    public void createSubject(String tenantId, RealmType realm, String id, Optional<String> username, Optional<String> email,
                              Optional<String> password) {
        sql.inTransaction(tx -> {
            AdminService.requireTenant(tx, tenantId);
            SubjectRepository subjects = new SubjectRepository(tx);
            if (subjects.find(new SubjectLookup(tenantId, realm, SubjectLookup.By.USER_ID, id)).isPresent()) {
                throw new IllegalArgumentException("id " + id + " already exists in " + tenantId + "-" + realm.suffix());
            }
            username.ifPresent(u -> subjects.find(new SubjectLookup(tenantId, realm, SubjectLookup.By.USERNAME, u)).ifPresent(s -> {
                throw new IllegalArgumentException("username " + u + " is taken in " + tenantId + "-" + realm.suffix());
            }));
            email.ifPresent(e -> subjects.find(new SubjectLookup(tenantId, realm, SubjectLookup.By.EMAIL, e)).ifPresent(s -> {
                throw new IllegalArgumentException("email " + e + " is taken in " + tenantId + "-" + realm.suffix());
            }));
            subjects.upsert(tx, tenantId, realm, id, username, email, password.map(PasswordHasher::hash), true, now());
            CliChanges.record(tx, clock, tenantId, (realm == RealmType.USER ? "user" : "customer") + ".created", (realm == RealmType.USER ? "users/" : "customers/") + id);
            return null;
        });
    }

    public List<Subject> subjects(String tenantId, RealmType realm) {
        AdminService.requireTenant(sql, tenantId);
        return new SubjectRepository(sql).list(tenantId, realm);
    }

    /**
     * Enables or disables a user or customer; disabling also signs it out everywhere, so enabling it again
     * later does not bring back the sessions and refresh tokens it had.
     */
    public void setSubjectEnabled(String tenantId, RealmType realm, String id, boolean enabled) {
        sql.inTransaction(tx -> {
            if (new SubjectRepository(tx).find(new SubjectLookup(tenantId, realm, SubjectLookup.By.USER_ID, id)).isEmpty()) {
                throw new IllegalArgumentException("no id " + id + " in " + tenantId + "-" + realm.suffix());
            }
            new SubjectRepository(tx).setEnabled(tx, tenantId, realm, id, enabled, now());
            if (!enabled) {
                SubjectSignOut.everywhere(tx, tenantId, realm, id, now());
            }
            CliChanges.record(tx, clock, tenantId, (realm == RealmType.USER ? "user" : "customer") + (enabled ? ".enabled" : ".disabled"), (realm == RealmType.USER ? "users/" : "customers/") + id);
            return null;
        });
    }

    /**
     * Makes a user's admin roles exactly {@code roles} (labels such as {@code partition_admin}); returns
     * true if they changed. Only users (realm U) hold roles, and system_admin only in tenant system.
     */
    public boolean setUserRoles(String tenantId, String userId, Set<String> roles) {
        Set<AdminRole> parsed = EnumSet.noneOf(AdminRole.class);
        for (String label : roles) {
            AdminRole.problem(label, tenantId).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            parsed.add(AdminRole.fromLabel(label).orElseThrow());
        }
        return sql.inTransaction(tx -> {
            requireUser(tx, tenantId, userId);
            boolean changed = SubjectRoles.set(tx, tenantId, userId, parsed);
            if (changed) {
                CliChanges.record(tx, clock, tenantId, "user.roles.set", "users/" + userId);
            }
            return changed;
        });
    }

    /** A user's stored roles, also while it is disabled (then {@link SubjectRoles#roles} grants none). */
    public Set<String> userRoles(String tenantId, String userId) {
        requireUser(sql, tenantId, userId);
        return SubjectRoles.stored(sql, tenantId, userId);
    }

    private static Subject requireUser(Sql sql, String tenantId, String userId) {
        AdminService.requireTenant(sql, tenantId);
        return new SubjectRepository(sql).find(new SubjectLookup(tenantId, RealmType.USER, SubjectLookup.By.USER_ID, userId))
                .orElseThrow(() -> new IllegalArgumentException("no user " + userId + " in " + tenantId + "-U"));
    }
}
