package dev.portcullis.audit;

import dev.portcullis.store.Sql;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The stored audit events: written in the change's own transaction, read newest first a page at a time. */
public final class AuditEventRepository {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, tenant_id, occurred_at, actor_tenant, actor_subject, actor_client, actor_type, action, "
            + "resource, changes";

    /** What a reader may narrow a listing to; empty fields do not filter. */
    public record Filter(Optional<String> actor, Optional<String> action, Optional<Long> since, Optional<Long> until) {
        public static final Filter NONE = new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private final Sql sql;

    public AuditEventRepository(Sql sql) {
        this.sql = sql;
    }

    /** The last microsecond stamp handed out by this process, so its ids strictly increase. */
    private static final AtomicLong LAST_MICROS = new AtomicLong();

    /**
     * An id that sorts by time: a microsecond stamp in fixed-width hex, then 48 random bits, so events from several
     * instances interleave in time order without a shared sequence. Within one process the stamp strictly increases,
     * so the events of one change (written in the same millisecond) keep the order they were recorded in.
     */
    public static String newId(long epochMillis) {
        long micros = LAST_MICROS.updateAndGet(last -> Math.max(last + 1, epochMillis * 1_000));
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return String.format("%014x", micros) + HexFormat.of().formatHex(random);
    }

    public void insert(Sql tx, AuditEvent event) {
        tx.update("INSERT INTO audit_events (id, tenant_id, occurred_at, actor_tenant, actor_subject, actor_client, actor_type, "
                        + "action, resource, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                event.id(), event.tenantId(), event.occurredAt(), event.actor().tenantId(), event.actor().subject(),
                event.actor().clientId(), event.actor().actorType(), event.action(), event.resource(), event.changes());
    }

    public Optional<AuditEvent> find(String tenantId, String id) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM audit_events WHERE tenant_id = ? AND id = ?", AuditEventRepository::map,
                tenantId, id);
    }

    /**
     * A tenant's events newest first, older than {@code before} (an event id, the previous page's last) when given.
     * {@code actor} matches the subject or the client; {@code action} matches exactly or, ending in '.', as a prefix.
     */
    public List<AuditEvent> list(String tenantId, Filter filter, Optional<String> before, int limit) {
        StringBuilder where = new StringBuilder("tenant_id = ?");
        List<Object> params = new ArrayList<>(List.of(tenantId));
        before.ifPresent(id -> {
            where.append(" AND id < ?");
            params.add(id);
        });
        filter.actor().ifPresent(actor -> {
            where.append(" AND (actor_subject = ? OR actor_client = ?)");
            params.add(actor);
            params.add(actor);
        });
        filter.action().ifPresent(action -> {
            if (action.endsWith(".")) {
                where.append(" AND action LIKE ? ESCAPE '\\'");
                params.add(action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            } else {
                where.append(" AND action = ?");
                params.add(action);
            }
        });
        filter.since().ifPresent(since -> {
            where.append(" AND occurred_at >= ?");
            params.add(since);
        });
        filter.until().ifPresent(until -> {
            where.append(" AND occurred_at < ?");
            params.add(until);
        });
        params.add(limit);
        return sql.query("SELECT " + COLUMNS + " FROM audit_events WHERE " + where + " ORDER BY id DESC LIMIT ?",
                AuditEventRepository::map, params.toArray());
    }

    private static AuditEvent map(java.sql.ResultSet row) throws java.sql.SQLException {
        return new AuditEvent(row.getString(1), row.getString(2), row.getLong(3),
                new AuditEvent.Actor(row.getString(4), row.getString(5), row.getString(6), row.getString(7)),
                row.getString(8), row.getString(9), row.getString(10));
    }
}
