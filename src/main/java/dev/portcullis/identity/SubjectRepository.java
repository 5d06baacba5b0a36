package dev.portcullis.identity;

import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Users and customers; every lookup the token endpoint makes is served by an index. */
public final class SubjectRepository {

    private static final String COLUMNS = "tenant_id, realm, id, username, email, password_hash, enabled";

    private final Sql sql;

    public SubjectRepository(Sql sql) {
        this.sql = sql;
    }

    public Optional<Subject> find(SubjectLookup lookup) {
        String column = switch (lookup.by()) {
            case USERNAME -> "username_key";
            case USER_ID -> "id";
            case EMAIL -> "email_key";
        };
        return sql.queryOne("SELECT " + COLUMNS + " FROM subjects WHERE tenant_id = ? AND realm = ? AND " + column + " = ?",
                SubjectRepository::map, lookup.tenantId(), lookup.realm().databaseValue(), lookup.key());
    }

    public List<Subject> list(String tenantId, RealmType realm) {
        return sql.query("SELECT " + COLUMNS + " FROM subjects WHERE tenant_id = ? AND realm = ? ORDER BY id",
                SubjectRepository::map, tenantId, realm.databaseValue());
    }

    /**
     * Up to {@code limit} subjects of a realm in id order, after {@code afterId} (keyset paging, so a page costs the
     * same however deep it is); {@code prefix}, in lower case, matches the start of the username or the email.
     */
    public List<Subject> page(String tenantId, RealmType realm, Optional<String> afterId, Optional<Boolean> enabled,
                              Optional<String> prefix, int limit) {
        StringBuilder where = new StringBuilder(" WHERE tenant_id = ? AND realm = ?");
        List<Object> params = new ArrayList<>(List.of(tenantId, realm.databaseValue()));
        afterId.ifPresent(id -> {
            where.append(" AND id > ?");
            params.add(id);
        });
        enabled.ifPresent(flag -> {
            where.append(" AND enabled = ?");
            params.add(flag);
        });
        prefix.ifPresent(p -> {
            where.append(" AND (username_key LIKE ? ESCAPE '!' OR email_key LIKE ? ESCAPE '!')");
            String pattern = p.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
            params.add(pattern);
            params.add(pattern);
        });
        params.add(limit);
        return sql.query("SELECT " + COLUMNS + " FROM subjects" + where + " ORDER BY id LIMIT ?", SubjectRepository::map,
                params.toArray());
    }

    private static Subject map(ResultSet row) throws SQLException {
        return new Subject(row.getString(1), RealmType.fromSuffix(row.getString(2)).orElseThrow(), row.getString(3),
                Optional.ofNullable(row.getString(4)), Optional.ofNullable(row.getString(5)),
                Optional.ofNullable(row.getString(6)), row.getInt(7) == 1);
    }

    /**
     * Inserts or updates a subject by id. The password hash is replaced only when
     * {@code newPasswordHash} is present. Returns true if anything changed.
     */
    public boolean upsert(Sql tx, String tenantId, RealmType realm, String id, Optional<String> username,
                          Optional<String> email, Optional<String> newPasswordHash, boolean enabled, long now) {
        Optional<Subject> existing = new SubjectRepository(tx).find(new SubjectLookup(tenantId, realm, SubjectLookup.By.USER_ID, id));
        String usernameKey = username.map(u -> u.toLowerCase(Locale.ROOT)).orElse(null);
        String emailKey = email.map(e -> e.toLowerCase(Locale.ROOT)).orElse(null);
        if (existing.isEmpty()) {
            tx.update("INSERT INTO subjects (tenant_id, realm, id, username, username_key, email, email_key, password_hash, enabled, created_at, updated_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    tenantId, realm.databaseValue(), id, username.orElse(null), usernameKey, email.orElse(null), emailKey,
                    newPasswordHash.orElse(null), enabled, now, now);
            return true;
        }
        Subject s = existing.get();
        boolean same = s.username().equals(username) && s.email().equals(email) && s.enabled() == enabled
                && newPasswordHash.isEmpty();
        if (same) {
            return false;
        }
        tx.update("UPDATE subjects SET username = ?, username_key = ?, email = ?, email_key = ?, enabled = ?, updated_at = ?, "
                        + "password_hash = COALESCE(?, password_hash) WHERE tenant_id = ? AND realm = ? AND id = ?",
                username.orElse(null), usernameKey, email.orElse(null), emailKey, enabled, now,
                newPasswordHash.orElse(null), tenantId, realm.databaseValue(), id);
        return true;
    }

    public boolean setEnabled(Sql tx, String tenantId, RealmType realm, String id, boolean enabled, long now) {
        return tx.update("UPDATE subjects SET enabled = ?, updated_at = ? WHERE tenant_id = ? AND realm = ? AND id = ? AND enabled <> ?",
                enabled, now, tenantId, realm.databaseValue(), id, enabled) > 0;
    }
}
